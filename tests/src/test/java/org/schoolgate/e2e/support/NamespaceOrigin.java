package org.schoolgate.e2e.support;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The "internet" host of the gateway test, run as its own process inside a network namespace:
 * HTTP on 80, TLS on 443 (certificate written to args[0] for curl), and UDP listeners that
 * print {@code udp PORT} for every datagram, so the test can see what the firewall let through.
 * Prints {@code origin ready} when listening, and {@code sni NAME} for every TLS server name.
 */
public final class NamespaceOrigin {
  private NamespaceOrigin() {}

  public static void main(String[] args) throws Exception {
    TestTls tls = new TestTls(ProxyHarness.NAMES);
    Files.writeString(Path.of(args[0]), tls.certificatePem());
    UpstreamServer http = UpstreamServer.http(new InetSocketAddress("0.0.0.0", 80));
    UpstreamServer https = UpstreamServer.tls(tls.serverContext(), new InetSocketAddress("0.0.0.0", 443));
    for (int port : List.of(443, 853, 9999)) { // 53 is the resolver's (TestResolver), beside this one
      DatagramSocket socket = new DatagramSocket(new InetSocketAddress("0.0.0.0", port));
      Thread t = new Thread(() -> {
        byte[] buf = new byte[2048];
        while (true) {
          try {
            socket.receive(new DatagramPacket(buf, buf.length));
            synchronized (System.out) {
              System.out.println("udp " + port);
              System.out.flush();
            }
          } catch (java.io.IOException e) {
            return;
          }
        }
      });
      t.setDaemon(true);
      t.start();
    }
    Thread sni = new Thread(() -> {
      int seen = 0;
      while (true) {
        List<String> names = https.sniNames();
        for (; seen < names.size(); seen++) {
          synchronized (System.out) {
            System.out.println("sni " + names.get(seen));
            System.out.flush();
          }
        }
        java.util.concurrent.locks.LockSupport.parkNanos(20_000_000);
      }
    });
    sni.setDaemon(true);
    sni.start();
    System.out.println("origin ready");
    System.out.flush();
    System.in.read(); // runs until the test closes our standard input
    http.close();
    https.close();
  }
}
