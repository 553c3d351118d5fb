package org.schoolgate.ca;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;

/**
 * {@code ca init [--name NAME]} makes the school's CA and {@code ca show} shows it again: the
 * certificate's path and SHA-256 fingerprint, which the device-management console asks for.
 * Neither ever prints the key.
 */
public final class CaCommands {
  static final String DEFAULT_NAME = "schoolgate school filter CA";
  private static final String USAGE = "usage: ca init [--name \"Mellers Primary filter CA\"] | ca show   [--config PATH]";

  private CaCommands() {}

  public static int run(Path certFile, Path keyFile, String[] args, PrintStream out, PrintStream err, Clock clock) {
    if (args.length == 0) {
      err.println(USAGE);
      return 2;
    }
    switch (args[0]) {
      case "init":
        String name = DEFAULT_NAME;
        if (args.length == 3 && args[1].equals("--name") && !args[2].isBlank() && args[2].length() <= 64) {
          name = args[2].strip();
        } else if (args.length != 1) {
          err.println(USAGE + "\n(a --name is 1-64 characters)");
          return 2;
        }
        return init(certFile, keyFile, name, out, err, clock);
      case "show":
        if (args.length != 1) {
          err.println(USAGE);
          return 2;
        }
        return show(certFile, out, err);
      default:
        err.println("unknown ca command \"" + args[0] + "\"\n" + USAGE);
        return 2;
    }
  }

  private static int init(Path certFile, Path keyFile, String name, PrintStream out, PrintStream err, Clock clock) {
    SchoolCa ca = SchoolCa.create(name, clock);
    try {
      ca.write(certFile, keyFile);
    } catch (FileAlreadyExistsException e) {
      err.println(e.getFile() + " " + e.getReason() + "; nothing was written");
      return 2;
    } catch (IOException e) {
      err.println("cannot write the CA: " + e.getMessage());
      return 1;
    }
    describe(ca.certificate(), certFile, out);
    out.println("private key:  " + keyFile + " (mode 0600: keep it on this machine, never give it out)");
    out.println("Give the certificate (not the key) to your device management as a trusted root for");
    out.println("managed devices, then list their networks under tls_block_page.networks (README).");
    return 0;
  }

  private static int show(Path certFile, PrintStream out, PrintStream err) {
    try {
      describe(SchoolCa.readCertificate(certFile), certFile, out);
      return 0;
    } catch (SchoolCa.Unusable e) {
      err.println(e.getMessage());
      return 2;
    }
  }

  private static void describe(X509Certificate cert, Path certFile, PrintStream out) {
    out.println("certificate:  " + certFile);
    out.println("SHA-256 fingerprint: " + SchoolCa.fingerprint(cert));
    out.println("name:         " + cert.getSubjectX500Principal().getName());
    out.println("valid until:  " + cert.getNotAfter().toInstant());
  }
}
