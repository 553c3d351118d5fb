package org.schoolgate.policy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.openjdk.jol.info.GraphLayout;
import org.schoolgate.blocklist.Blocklists;
import org.schoolgate.config.CategoryFiles;

/**
 * Load time and retained heap of every category in a blocklists folder (the UT1-shaped one
 * {@code tests/bench/ut1-scale.sh} makes), through the production loader {@link Blocklists#load}:
 *
 * <pre>taskset -c 1 java -XX:ActiveProcessorCount=1 -Xmx256m -XX:+UseSerialGC -cp tests/jmh/target/benchmarks.jar \
 *     org.schoolgate.policy.Ut1Load FOLDER [RUNS]</pre>
 *
 * Prints each load's wall time and the process's CPU time (the figure that means "on one core"
 * when the machine is shared), a new index each time with the previous one still held, as in
 * a swap; the min and median; and JOL's retained size of the last one per domain.
 */
public final class Ut1Load {
  private Ut1Load() {}

  public static void main(String[] args) throws Exception {
    Path folder = Path.of(args[0]);
    int runs = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    List<String> categories = new ArrayList<>(CategoryFiles.scan(folder).keySet());
    var os = (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
    long[] ms = new long[runs];
    long[] cpu = new long[runs];
    CategoryLists held = null;
    Blocklists.Loaded loaded = null;
    for (int r = 0; r < runs; r++) {
      long start = System.nanoTime();
      long cpuStart = os.getProcessCpuTime();
      loaded = Blocklists.load(folder, categories);
      ms[r] = (System.nanoTime() - start) / 1_000_000;
      cpu[r] = (os.getProcessCpuTime() - cpuStart) / 1_000_000;
      held = loaded.lists(); // the previous set is garbage only now, as after a swap
      System.out.printf("load %d: %d ms (%d ms of CPU), %,d domains, %d lines refused%n", r + 1, ms[r], cpu[r],
          held.domainCount(),
          loaded.problems().size());
    }
    long[] sorted = ms.clone();
    Arrays.sort(sorted);
    long[] cpuSorted = cpu.clone();
    Arrays.sort(cpuSorted);
    System.out.printf("load ms: min %d, median %d (of %d); CPU ms: min %d, median %d%n", sorted[0], sorted[runs / 2], runs,
        cpuSorted[0], cpuSorted[runs / 2]);
    System.out.println("counts: " + loaded.counts());
    long jol = GraphLayout.parseInstance(held).totalSize();
    System.out.printf("JOL retained size: %,d B = %.1f MiB = %.2f bytes a domain (%,d domains)%n", jol, jol / 1048576.0,
        (double) jol / held.domainCount(), held.domainCount());
  }
}
