/**
 * The web console's pages (SPEC section 8): what each page shows, as plain records the compiled
 * templates ({@code src/main/jte}) render, and the server-drawn SVG charts. The requests
 * themselves (sign-in, sessions, CSRF, the forms' actions) are handled in {@code admin}, through
 * the same service the API uses.
 */
package org.schoolgate.console;
