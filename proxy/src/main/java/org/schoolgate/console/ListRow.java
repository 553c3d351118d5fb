package org.schoolgate.console;

import java.util.List;

/**
 * One subscription on the console's Lists page, in words.
 *
 * @param entries one phrase per category ("gambling: 1,204 sites")
 */
public record ListRow(String name, String publisher, String url, String licence, String state, String lastSuccess,
                      String lastError, String nextAttempt, List<String> entries, boolean enabled, boolean failing) {}
