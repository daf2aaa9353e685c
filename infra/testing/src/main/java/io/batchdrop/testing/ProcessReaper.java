package io.batchdrop.testing;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Last line of defence against leaked emulators: one JVM shutdown hook that stops every process
 * tree still registered, so a failed or interrupted test run does not leave JVMs behind; and, for a
 * run killed too hard for hooks to run, a {@link ProcessLedger} the next run sweeps.
 */
final class ProcessReaper {

  private static final Duration GRACE = Duration.ofSeconds(5);
  private static final Set<ProcessHandle> LIVE = ConcurrentHashMap.newKeySet();
  private static final ProcessLedger LEDGER = ProcessLedger.shared();

  static {
    Runtime.getRuntime()
        .addShutdownHook(new Thread(ProcessReaper::stopAll, "batchdrop-emulator-reaper"));
  }

  private ProcessReaper() {}

  static void register(ProcessHandle process) {
    LIVE.add(process);
    LEDGER.record(process);
  }

  static void unregister(ProcessHandle process) {
    LIVE.remove(process);
    LEDGER.forget(process);
  }

  /** Stops emulators left running by earlier runs whose JVM was killed. */
  static List<Long> stopOrphansOfKilledRuns() {
    return LEDGER.stopOrphans();
  }

  private static void stopAll() {
    LIVE.parallelStream().forEach(process -> ProcessTree.stop(process, GRACE));
  }
}
