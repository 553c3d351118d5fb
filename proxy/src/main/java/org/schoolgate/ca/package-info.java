/**
 * The school's certificate authority for the HTTPS block page (SPEC section 9): made and shown
 * by {@code ca init}/{@code ca show}, checked by {@code check}, and the leaves it signs for
 * blocked names. BouncyCastle only here: the JDK has no public API to issue a certificate.
 */
package org.schoolgate.ca;
