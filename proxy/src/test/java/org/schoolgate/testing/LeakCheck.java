package org.schoolgate.testing;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import io.netty.util.ResourceLeakDetectorFactory;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Netty's leak detector only logs what it finds; this makes a leak fail the test class in
 * which it is found. Registered for every test class of this module (ServiceLoader, with
 * {@code junit.jupiter.extensions.autodetection.enabled}), it installs a detector factory that
 * records each report before any buffer class is loaded. After each class it collects garbage
 * and allocates a few buffers (the detector reports on allocation), then fails with what it saw.
 * The tests run at {@code -Dio.netty.leakDetection.level=paranoid}: every buffer is tracked.
 */
public final class LeakCheck implements AfterAllCallback {
  private static final List<String> LEAKS = new CopyOnWriteArrayList<>();

  static {
    ResourceLeakDetectorFactory.setResourceLeakDetectorFactory(new ResourceLeakDetectorFactory() {
      @Override
      @SuppressWarnings("deprecation")
      public <T> ResourceLeakDetector<T> newResourceLeakDetector(Class<T> resource, int samplingInterval, long maxActive) {
        return new ResourceLeakDetector<T>(resource, samplingInterval, maxActive) {
          @Override
          protected void reportTracedLeak(String resourceType, String records) {
            LEAKS.add(resourceType + " leaked:" + records);
            super.reportTracedLeak(resourceType, records);
          }

          @Override
          protected void reportUntracedLeak(String resourceType) {
            LEAKS.add(resourceType + " leaked (no record)");
            super.reportUntracedLeak(resourceType);
          }
        };
      }
    });
  }

  @Override
  public void afterAll(ExtensionContext context) {
    for (int round = 0; round < 3; round++) {
      System.gc();
      System.runFinalization();
      for (int i = 0; i < 64; i++) {
        ByteBuf b = ByteBufAllocator.DEFAULT.directBuffer(16);
        b.release();
        ByteBuf h = ByteBufAllocator.DEFAULT.heapBuffer(16);
        h.release();
      }
    }
    if (!LEAKS.isEmpty()) {
      List<String> found = List.copyOf(LEAKS);
      LEAKS.clear();
      throw new AssertionError("Netty found " + found.size() + " leaked buffer(s) by the end of "
          + context.getDisplayName() + ":\n" + String.join("\n", found));
    }
  }
}
