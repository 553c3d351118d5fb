/**
 * The admin rules (SPEC section 6): blocks, reports, overrides, device names and accounts, each
 * change durable, audited and put in force as one ({@link org.schoolgate.rules.AdminChanges}),
 * and the decision check. No HTTP here: the web layer and the command line call it.
 */
package org.schoolgate.rules;
