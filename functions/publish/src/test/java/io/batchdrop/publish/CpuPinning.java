package io.batchdrop.publish;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code -Dbench.cpus=N} (default 1, the deployment's {@code publish_cpu}, on a machine of two
 * cores or more): the contenders (publish's invoker JVM, the deployed-options floor's JVM) run on
 * the machine's last N cores and see N processors, as a function deployed with N vCPUs does; the
 * emulators (standing in for services that run elsewhere when deployed) run on the cores before
 * them. With 0 nothing is pinned and every process shares every core.
 *
 * <p>Why: on a 2-core machine the emulators' work lands on the contender's cores, and publish makes
 * them work more than the floor does (its checkpoints go to the Firestore emulator, which the floor
 * never calls), so unpinned the comparison charges publish for CPU a deployment spends in Google's
 * services. Pinning ({@code taskset}, util-linux) gives both contenders the same core of their own.
 */
final class CpuPinning {
  static final int CPUS =
      Integer.getInteger("bench.cpus", Runtime.getRuntime().availableProcessors() >= 2 ? 1 : 0);

  private CpuPinning() {}

  static boolean enabled() {
    int cores = Runtime.getRuntime().availableProcessors();
    if (CPUS > 0 && CPUS >= cores) {
      throw new IllegalArgumentException(
          "-Dbench.cpus="
              + CPUS
              + " leaves no core for the emulators; expected fewer than this machine's "
              + cores);
    }
    return CPUS > 0;
  }

  /** The JVM options that make a contender size its threads for N processors. */
  static List<String> jvmOptions() {
    return enabled() ? List.of("-XX:ActiveProcessorCount=" + CPUS) : List.of();
  }

  /** The command prefix that starts a contender on its cores (empty when not pinning). */
  static List<String> contenderPrefix() {
    return enabled() ? List.of("taskset", "-c", contenderCores()) : List.of();
  }

  /** Moves a running contender, every thread of it, to its cores. */
  static void pinContender(long pid) throws IOException, InterruptedException {
    if (enabled()) {
      pin(pid, contenderCores());
    }
  }

  /** Moves the emulators, every thread of each, to the other cores. */
  static void pinServices(Collection<Long> pids) throws IOException, InterruptedException {
    if (enabled()) {
      for (long pid : pids) {
        pin(pid, serviceCores());
      }
    }
  }

  static String describe() {
    return enabled()
        ? "contenders on core(s) "
            + contenderCores()
            + " seeing "
            + CPUS
            + " processor(s), the emulators on core(s) "
            + serviceCores()
        : "not pinned: every process shares every core (-Dbench.cpus=0)";
  }

  private static String contenderCores() {
    int cores = Runtime.getRuntime().availableProcessors();
    return (cores - CPUS) + "-" + (cores - 1);
  }

  private static String serviceCores() {
    int cores = Runtime.getRuntime().availableProcessors();
    return "0-" + (cores - CPUS - 1);
  }

  private static void pin(long pid, String cores) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("taskset", "-a", "-p", "-c", cores));
    command.add(Long.toString(pid));
    Process taskset = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(taskset.getInputStream().readAllBytes());
    if (!taskset.waitFor(10, TimeUnit.SECONDS) || taskset.exitValue() != 0) {
      throw new IllegalStateException(
          "expected taskset to pin process " + pid + " to cores " + cores + ", got: " + output);
    }
  }
}
