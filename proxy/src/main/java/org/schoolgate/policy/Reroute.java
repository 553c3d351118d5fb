package org.schoolgate.policy;

/**
 * Where an allowed connection to a search engine or YouTube goes instead of the host's own
 * address: the engine's enforced front end (SPEC section 10). Only the address connected to
 * changes; the Host header and the TLS server name stay the client's, and nothing is decrypted.
 *
 * @param frontEnd the front end's host name, resolved like any upstream (hosts file, then DNS)
 * @param engine   the engine as people name it ({@code Google}, {@code YouTube})
 * @param enforced what this means, in words: {@code safe search enforced (Google)}
 */
public record Reroute(String frontEnd, String engine, String enforced) {}
