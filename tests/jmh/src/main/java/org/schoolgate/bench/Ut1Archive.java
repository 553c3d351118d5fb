package org.schoolgate.bench;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The folder of a UT1-shaped archive at real size, for {@code tests/bench/ut1-scale.sh} (which
 * tars it): {@code blacklists/CATEGORY/domains}, one domain a line, about 5.3 million domains in
 * UT1's categories that the shipped subscription maps, {@code adult} 4.6 million of them, the
 * others at their sizes in UT1's archive of 2025 ({@code phishing} and {@code malware}, absent
 * from the mirror read, make up the rest), plus three allow-type categories left out.
 * Deterministic (the domains are {@link Domains}, seed 23); like UT1, one line in ten thousand
 * of {@code adult} is an IP address (refused by the loader with a message), and 1% of each
 * smaller category is listed in {@code adult} too.
 *
 * <pre>java -Xmx2g -cp tests/jmh/target/benchmarks.jar org.schoolgate.bench.Ut1Archive OUT_FOLDER</pre>
 */
public final class Ut1Archive {
  /** Category to domains; the order is the order domains are dealt out. */
  static final Map<String, Integer> SIZES = new LinkedHashMap<>();

  static {
    SIZES.put("adult", 4_600_000);
    SIZES.put("phishing", 380_000);
    SIZES.put("redirector", 132_000);
    SIZES.put("malware", 124_000);
    SIZES.put("gambling", 32_000);
    SIZES.put("cryptojacking", 11_500);
    SIZES.put("dating", 6_500);
    SIZES.put("vpn", 6_000);
    SIZES.put("doh", 3_000);
    SIZES.put("warez", 1_500);
    SIZES.put("social_networks", 700);
    SIZES.put("drogue", 600);
    SIZES.put("stalkerware", 525);
    SIZES.put("ddos", 420);
    SIZES.put("agressif", 360);
    SIZES.put("hacking", 270);
    SIZES.put("chat", 270);
    SIZES.put("forums", 200);
    SIZES.put("remote-control", 170);
    SIZES.put("mixed_adult", 150);
    SIZES.put("residential-proxies", 140);
    SIZES.put("arjel", 70);
    SIZES.put("dangerous_material", 35);
    // allow-type categories: in the archive, never mapped
    SIZES.put("bank", 1_500);
    SIZES.put("press", 1_200);
    SIZES.put("liste_blanche", 300);
  }

  private Ut1Archive() {}

  public static void main(String[] args) throws IOException {
    if (args.length != 1) {
      System.err.println("usage: Ut1Archive OUT_FOLDER");
      System.exit(2);
    }
    Path root = Path.of(args[0]).resolve("blacklists");
    int total = SIZES.values().stream().mapToInt(Integer::intValue).sum();
    String[] all = Domains.generate(total, 23);
    int at = 0;
    int ip = 0;
    for (Map.Entry<String, Integer> e : SIZES.entrySet()) {
      Path dir = root.resolve(e.getKey());
      Files.createDirectories(dir);
      boolean adult = e.getKey().equals("adult");
      try (BufferedWriter out = Files.newBufferedWriter(dir.resolve("domains"), StandardCharsets.US_ASCII)) {
        for (int i = 0; i < e.getValue(); i++) {
          out.write(all[at + i]);
          out.write('\n');
          if (adult && i % 10_000 == 9_999) {
            ip++;
            out.write("185." + (ip >> 16 & 255) + "." + (ip >> 8 & 255) + "." + (ip & 255) + "\n");
          }
        }
        if (adult) {
          // 1% of every other category is adult too (UT1's dating, mixed_adult and adult overlap)
          int from = e.getValue();
          for (int v : SIZES.values().stream().skip(1).mapToInt(Integer::intValue).toArray()) {
            for (int k = 0; k < v / 100; k++) {
              out.write(all[from + k]);
              out.write('\n');
            }
            from += v;
          }
        }
      }
      at += e.getValue();
    }
    System.out.printf("%,d domains in %d categories under %s%n", total, SIZES.size(), root);
  }
}
