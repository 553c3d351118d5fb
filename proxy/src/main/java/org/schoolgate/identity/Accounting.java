package org.schoolgate.identity;

import java.net.InetAddress;

/**
 * What one verified Accounting-Request (RFC 2866) says. {@code status} is Acct-Status-Type
 * ({@link #START}, {@link #STOP}, {@link #INTERIM}, {@link #ON}, {@link #OFF}, or another value);
 * {@code nas} names the equipment (NAS-IP-Address, else NAS-Identifier, else the sender), so that
 * its Accounting-On/Off ends what it reported. Any field but {@code status} and {@code nas} may be null.
 */
public record Accounting(int status, String user, InetAddress ipv4, InetAddress ipv6, String sessionId, String nas) {
  public static final int START = 1;
  public static final int STOP = 2;
  public static final int INTERIM = 3;
  public static final int ON = 7;
  public static final int OFF = 8;
}
