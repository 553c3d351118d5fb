/** Who is on which address (SPEC 15): RADIUS accounting in, user name rules, mappings kept in the store. */
package org.schoolgate.identity;
