package org.schoolgate.console;

/**
 * What "Look up a reference" shows of one block: the access line's facts in a headteacher's
 * words, and what its two buttons would post ("allow for this lesson" for the device's group
 * until {@code until}, "block for everyone").
 *
 * @param site       the domain the buttons allow or block
 * @param allowable  whether "allow for this lesson" is offered (never for a way round the filter, nor for an allowed visit)
 * @param until      the allowance's end as the form posts it; {@code untilWords} as a person reads it
 */
public record RefView(String ref, String device, String user, String address, String when, String group, String category,
                      String rule, boolean blocked, String visited, String site, boolean allowable, String until,
                      String untilWords) {}
