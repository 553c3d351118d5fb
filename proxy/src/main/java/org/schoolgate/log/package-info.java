/** What happened, as events: access lines, circumvention events, audit lines, and the one component that writes them. */
package org.schoolgate.log;
