package io.batchdrop.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Stops a process together with every process it spawned.
 *
 * <p>The descendants are captured before anything is signalled: once a parent dies its children are
 * re-parented and can no longer be found through it, which is how a wrapper script orphans its JVM.
 */
final class ProcessTree {

  /**
   * A killed process is gone at once, but one whose parent died first stays a zombie until init
   * reaps it, which can take a second.
   */
  private static final Duration REAP_WAIT = Duration.ofSeconds(10);

  private ProcessTree() {}

  /**
   * Asks the root and all its descendants to terminate, waits up to {@code grace}, then kills
   * whatever is left and waits for it to be reaped.
   *
   * @return the processes still alive afterwards (empty when the whole tree is gone)
   */
  static List<ProcessHandle> stop(ProcessHandle root, Duration grace) {
    List<ProcessHandle> tree = snapshot(root);
    tree.forEach(ProcessHandle::destroy);
    List<ProcessHandle> survivors = awaitExit(tree, grace);
    survivors.forEach(ProcessHandle::destroyForcibly);
    return awaitExit(survivors, REAP_WAIT);
  }

  /** The root followed by every descendant alive right now. */
  static List<ProcessHandle> snapshot(ProcessHandle root) {
    List<ProcessHandle> tree = new ArrayList<>();
    tree.add(root);
    root.descendants().forEach(tree::add);
    return tree;
  }

  private static List<ProcessHandle> awaitExit(List<ProcessHandle> processes, Duration timeout) {
    CompletableFuture<?>[] exits =
        processes.stream().map(ProcessHandle::onExit).toArray(CompletableFuture<?>[]::new);
    try {
      CompletableFuture.allOf(exits).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      // Reported through the survivors below.
    } catch (ExecutionException e) {
      throw new IllegalStateException("waiting for process exit failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return processes.stream().filter(ProcessHandle::isAlive).toList();
  }
}
