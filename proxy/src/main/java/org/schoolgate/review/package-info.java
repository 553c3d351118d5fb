/** The annual review (SPEC 11): counters of blocked and allowed requests, and the printable page built from them. */
package org.schoolgate.review;
