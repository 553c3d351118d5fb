/**
 * The admin listener (SPEC sections 6 and 8): TLS, allow-from, request checks, sign-in, sessions,
 * one route table for the JSON API and the console's pages and forms, one table mapping failures
 * to answers, and the metrics scrape. Built on the features ({@code rules}, {@code supervision},
 * {@code safeguarding}); nothing below depends on it (ArchitectureTest).
 */
package org.schoolgate.web;
