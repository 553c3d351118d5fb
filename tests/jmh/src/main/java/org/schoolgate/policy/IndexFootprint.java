package org.schoolgate.policy;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.openjdk.jol.info.GraphLayout;
import org.schoolgate.bench.Domains;
import org.schoolgate.blocklist.Blocklists;

/**
 * Load time and heap size of a 2,000,000-domain category list, through the production loader
 * ({@link Blocklists#load}: read the file, parse every line, build the index):
 *
 * <pre>java -Xmx1g -cp bench/target/benchmarks.jar org.schoolgate.policy.IndexFootprint [COUNT] [RUNS]</pre>
 *
 * Prints each load's wall time, the median, {@link CategoryLists#footprintBytes()}, the retained
 * size of the loaded {@link CategoryLists} by JOL's object graph walk, and the heap in use
 * after a full GC with and without the lists held.
 */
public final class IndexFootprint {
  private IndexFootprint() {}

  public static void main(String[] args) throws Exception {
    int count = args.length > 0 ? Integer.parseInt(args[0]) : 2_000_000;
    int runs = args.length > 1 ? Integer.parseInt(args[1]) : 7;
    Path dir = Files.createTempDirectory("schoolgate-2m-");
    Path file = dir.resolve("bulk.txt");
    try {
      long t0 = System.nanoTime();
      Domains.write(file, Domains.generate(count, 1));
      System.out.printf("generated %,d domains into %s (%,d bytes) in %d ms%n", count, file, Files.size(file),
          (System.nanoTime() - t0) / 1_000_000);
      MemoryMXBean mem = ManagementFactory.getMemoryMXBean();
      long[] ms = new long[runs];
      CategoryLists lists = null;
      for (int r = 0; r < runs; r++) {
        lists = null;
        System.gc();
        long start = System.nanoTime();
        lists = Blocklists.load(dir, List.of("bulk")).lists();
        ms[r] = (System.nanoTime() - start) / 1_000_000;
        System.out.printf("load %d: %d ms (%,d domains)%n", r + 1, ms[r], lists.domainCount());
      }
      long[] sorted = ms.clone();
      Arrays.sort(sorted);
      System.out.printf("load median: %d ms (first, cold: %d ms)%n", sorted[runs / 2], ms[0]);
      System.gc();
      long with = mem.getHeapMemoryUsage().getUsed();
      System.out.printf("footprintBytes(): %,d B = %.1f MiB%n", lists.footprintBytes(), lists.footprintBytes() / 1048576.0);
      long jol = GraphLayout.parseInstance(lists).totalSize();
      System.out.printf("JOL retained size of CategoryLists: %,d B = %.1f MiB%n", jol, jol / 1048576.0);
      int keep = lists.domainCount();
      lists = null;
      System.gc();
      long without = mem.getHeapMemoryUsage().getUsed();
      System.out.printf("heap used after GC: %.1f MiB with the lists, %.1f MiB without: %.1f MiB for %,d domains%n",
          with / 1048576.0, without / 1048576.0, (with - without) / 1048576.0, keep);
    } finally {
      Files.deleteIfExists(file);
      Files.deleteIfExists(dir);
    }
  }
}
