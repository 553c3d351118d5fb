/** The DNS guard (SPEC section 14): a forwarding resolver for clients that strips ECH, answers the canaries and enforces safe search. */
package org.schoolgate.dns;
