package io.batchdrop.cli.bench;

import com.sun.management.GarbageCollectionNotificationInfo;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import javax.management.ListenerNotFoundException;
import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;

/**
 * Heap use while a contender runs: the peak of "used" (garbage included, so it mostly shows the
 * young generation's size) and the largest heap still live right after a collection, which is what
 * a flat-memory claim is about.
 */
final class HeapWatch implements AutoCloseable {
  private final List<MemoryPoolMXBean> heapPools = new ArrayList<>();
  private final List<NotificationEmitter> emitters = new ArrayList<>();
  private final AtomicLong maxLiveAfterGc = new AtomicLong();
  private final NotificationListener onGc = this::onGc;

  HeapWatch() {
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        heapPools.add(pool);
      }
    }
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      if (gc instanceof NotificationEmitter emitter) {
        emitter.addNotificationListener(onGc, null, null);
        emitters.add(emitter);
      }
    }
  }

  void reset() {
    heapPools.forEach(MemoryPoolMXBean::resetPeakUsage);
    maxLiveAfterGc.set(0);
  }

  /** Sum of each heap pool's peak: an upper bound of the heap used at any one time. */
  long peakUsedBytes() {
    long sum = 0;
    for (MemoryPoolMXBean pool : heapPools) {
      MemoryUsage peak = pool.getPeakUsage();
      sum += peak == null ? 0 : peak.getUsed();
    }
    return sum;
  }

  /** The largest heap in use right after a collection since the last reset (0 when none ran). */
  long maxLiveAfterGcBytes() {
    return maxLiveAfterGc.get();
  }

  private void onGc(Notification notification, Object handback) {
    if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(
        notification.getType())) {
      return;
    }
    GarbageCollectionNotificationInfo info =
        GarbageCollectionNotificationInfo.from((CompositeData) notification.getUserData());
    long live = 0;
    for (var entry : info.getGcInfo().getMemoryUsageAfterGc().entrySet()) {
      if (heapPools.stream().anyMatch(pool -> pool.getName().equals(entry.getKey()))) {
        live += entry.getValue().getUsed();
      }
    }
    maxLiveAfterGc.accumulateAndGet(live, Math::max);
  }

  @Override
  public void close() {
    for (NotificationEmitter emitter : emitters) {
      try {
        emitter.removeNotificationListener(onGc);
      } catch (ListenerNotFoundException e) {
        // already gone: nothing to undo
      }
    }
  }
}
