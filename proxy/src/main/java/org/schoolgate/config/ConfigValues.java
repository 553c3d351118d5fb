package org.schoolgate.config;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.ZoneId;
import java.util.Locale;
import org.schoolgate.policy.YouTubeMode;
import org.schoolgate.values.HostSyntax;
import org.schoolgate.values.IpLiteral;

/** Parsers for single configuration values; each throws IllegalArgumentException with the sentence a problem shows. */
final class ConfigValues {
  private ConfigValues() {}

  static ZoneId zone(String s) {
    try {
      return ZoneId.of(s);
    } catch (DateTimeException e) {
      throw new IllegalArgumentException('"' + s + "\" is not a time zone (write it like Europe/London)");
    }
  }

  static Boolean bool(String s) {
    switch (s) {
      case "true": return Boolean.TRUE;
      case "false": return Boolean.FALSE;
      default: throw new IllegalArgumentException('"' + s + "\" is not true or false");
    }
  }

  /** {@code off} (which YAML also reads as false), {@code moderate} or {@code strict}. */
  static YouTubeMode youtubeMode(String s) {
    switch (s) {
      case "off": case "false": return YouTubeMode.OFF;
      case "moderate": return YouTubeMode.MODERATE;
      case "strict": return YouTubeMode.STRICT;
      default: throw new IllegalArgumentException('"' + s + "\" is not a YouTube restricted mode (off, moderate or strict)");
    }
  }

  static DayOfWeek day(String s) {
    switch (s.trim().toUpperCase(Locale.ROOT)) {
      case "MON": return DayOfWeek.MONDAY;
      case "TUE": return DayOfWeek.TUESDAY;
      case "WED": return DayOfWeek.WEDNESDAY;
      case "THU": return DayOfWeek.THURSDAY;
      case "FRI": return DayOfWeek.FRIDAY;
      case "SAT": return DayOfWeek.SATURDAY;
      case "SUN": return DayOfWeek.SUNDAY;
      default: throw new IllegalArgumentException('"' + s + "\" is not a day (MON, TUE, WED, THU, FRI, SAT, SUN)");
    }
  }

  static Config.SupervisionMode supervisionMode(String s) {
    switch (s) {
      case "lockdown": return Config.SupervisionMode.LOCKDOWN;
      case "flag": return Config.SupervisionMode.FLAG;
      default: throw new IllegalArgumentException('"' + s + "\" is not a supervision mode (lockdown or flag)");
    }
  }

  static String domain(String s) {
    String h = HostSyntax.normalise(s);
    if (h == null || HostSyntax.isIpLiteral(h) || h.indexOf('.') < 0 && !h.equals("localhost")) {
      throw new IllegalArgumentException('"' + s + "\" is not a domain name");
    }
    return h;
  }

  static InetSocketAddress socketAddress(String s) {
    return socketAddressDefaultPort(s, -1);
  }

  static InetSocketAddress socketAddressDefaultPort(String s, int defaultPort) {
    String t = s.trim();
    String host;
    String port;
    if (t.startsWith("[")) {
      int close = t.indexOf(']');
      if (close < 0) {
        throw badAddress(s);
      }
      host = t.substring(1, close);
      port = t.length() > close + 1 && t.charAt(close + 1) == ':' ? t.substring(close + 2) : null;
      if (port == null && t.length() > close + 1) {
        throw badAddress(s);
      }
    } else {
      int colon = t.lastIndexOf(':');
      if (colon >= 0 && t.indexOf(':') != colon) {
        throw badAddress(s); // IPv6 needs brackets when a port follows
      }
      host = colon < 0 ? t : t.substring(0, colon);
      port = colon < 0 ? null : t.substring(colon + 1);
    }
    if (port == null && defaultPort < 0) {
      throw new IllegalArgumentException('"' + s + "\" has no port (write it like 127.0.0.1:3128)");
    }
    int p;
    try {
      p = port == null ? defaultPort : Integer.parseInt(port);
    } catch (NumberFormatException e) {
      throw badAddress(s);
    }
    if (p < 0 || p > 65535) {
      throw new IllegalArgumentException('"' + s + "\" has a port out of range");
    }
    if (host.equals("localhost")) {
      host = "127.0.0.1";
    }
    if (host.isEmpty() || host.equals("*")) {
      host = "0.0.0.0";
    }
    byte[] bytes = IpLiteral.bytes(host);
    if (bytes == null) {
      throw new IllegalArgumentException('"' + s + "\": listen and DNS addresses must be IP addresses, not names");
    }
    try {
      return new InetSocketAddress(InetAddress.getByAddress(bytes), p);
    } catch (java.net.UnknownHostException e) {
      throw badAddress(s);
    }
  }

  private static IllegalArgumentException badAddress(String s) {
    return new IllegalArgumentException('"' + s + "\" is not an address:port (write it like 127.0.0.1:3128 or [::1]:3128)");
  }
}
