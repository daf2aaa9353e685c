package io.batchdrop.testing;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Last line of defence against leaked emulators: one JVM shutdown hook that stops every process
 * tree still registered, so a crashed or interrupted test run does not leave JVMs behind.
 */
final class ProcessReaper {

  private static final Duration GRACE = Duration.ofSeconds(5);
  private static final Set<ProcessHandle> LIVE = ConcurrentHashMap.newKeySet();

  static {
    Runtime.getRuntime()
        .addShutdownHook(new Thread(ProcessReaper::stopAll, "batchdrop-emulator-reaper"));
  }

  private ProcessReaper() {}

  static void register(ProcessHandle process) {
    LIVE.add(process);
  }

  static void unregister(ProcessHandle process) {
    LIVE.remove(process);
  }

  private static void stopAll() {
    LIVE.parallelStream().forEach(process -> ProcessTree.stop(process, GRACE));
  }
}
