/**
 * Small values every layer speaks (host names, IP literals, CIDR blocks, the timetable): pure
 * JDK, no Netty, no other schoolgate package, so the policy can use them and stay pure.
 */
package org.schoolgate.values;
