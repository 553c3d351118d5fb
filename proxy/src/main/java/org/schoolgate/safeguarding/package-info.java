/** The safeguarding lead's side (SPEC section 11): the alerts sent and how each was delivered. Read only. */
package org.schoolgate.safeguarding;
