package io.batchdrop.faults;

import io.batchdrop.testing.InvokedFunction;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The three functions, each from its shaded jar (as Cloud Run's Java buildpack runs it) on the real
 * Functions Framework invoker in its own JVM, and the one thing done to them here: SIGKILL, then a
 * fresh instance, as Cloud Run replaces a crashed one. Callers ask for a function's address at each
 * call, since a replacement listens on another port.
 */
final class FunctionFleet implements AutoCloseable {
  /** Name to entry point, in the order of {@code terraform/functions.tf}. */
  static final Map<String, String> FUNCTIONS =
      Map.of(
          "submit", "io.batchdrop.submit.SubmitFunction",
          "poll", "io.batchdrop.poll.PollFunction",
          "publish", "io.batchdrop.publish.PublishFunction");

  private static final List<String> JVM = List.of("-Xmx384m", "-XX:+UseSerialGC");
  private final Path root;
  private final Path logs;
  private final Map<String, String> environment;
  private final java.util.concurrent.atomic.AtomicInteger instances =
      new java.util.concurrent.atomic.AtomicInteger();
  private final Map<String, InvokedFunction> running = new LinkedHashMap<>();
  private final java.util.Set<String> replacing =
      java.util.concurrent.ConcurrentHashMap.newKeySet();

  private FunctionFleet(Path root, Path logs, Map<String, String> environment) {
    this.root = root;
    this.logs = logs;
    this.environment = Map.copyOf(environment);
  }

  /**
   * Starts the three functions; the log of each instance that ends (killed, or closed with the
   * fleet) is kept in {@code logs} as {@code NAME-N.log}, N counting instances in the order they
   * ended.
   */
  static FunctionFleet start(Path root, Path logs, Map<String, String> environment)
      throws Exception {
    Files.createDirectories(logs);
    FunctionFleet fleet = new FunctionFleet(root, logs, environment);
    try {
      for (String name : List.of("submit", "poll", "publish")) {
        fleet.running.put(name, fleet.launch(name));
      }
    } catch (Exception e) {
      fleet.close();
      throw e;
    }
    return fleet;
  }

  private InvokedFunction launch(String name) throws Exception {
    Path jar = root.resolve("functions/" + name + "/target/batchdrop-" + name + ".jar");
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(
          "expected " + name + "'s shaded jar at " + jar + "; run mvn -B install -DskipTests");
    }
    return InvokedFunction.start(FUNCTIONS.get(name), environment, JVM, Optional.of(jar));
  }

  synchronized URI uri(String name) {
    return running.get(name).uri();
  }

  /** SIGKILL: no shutdown hook, no finally block, no lease released; then a new instance. */
  void killAndReplace(String name) throws Exception {
    InvokedFunction victim;
    synchronized (this) {
      victim = running.get(name);
    }
    Process kill =
        new ProcessBuilder("kill", "-KILL", Long.toString(victim.process().pid()))
            .redirectErrorStream(true)
            .start();
    if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
      throw new IllegalStateException("kill -KILL " + victim.process().pid() + " did not succeed");
    }
    victim.process().waitFor(10, TimeUnit.SECONDS);
    keepLog(name, victim);
    victim.close();
    replacing.add(name);
    // The replacement boots meanwhile (seconds, longer under load); deliveries to the dead
    // address fail and are redelivered, as while Cloud Run starts a new instance.
    Thread boot =
        new Thread(
            () -> {
              try {
                InvokedFunction replacement = launch(name);
                synchronized (this) {
                  running.put(name, replacement);
                }
              } catch (Exception e) {
                System.err.println("faults: " + name + " did not start again: " + e);
              } finally {
                replacing.remove(name);
              }
            },
            "boot-" + name);
    boot.setDaemon(true);
    boot.start();
  }

  /** True while a killed function's replacement is still starting. */
  boolean replacing(String name) {
    return replacing.contains(name);
  }

  /** Waits until every replacement listens. */
  void awaitReplacements() throws InterruptedException {
    while (!replacing.isEmpty()) {
      Thread.sleep(200);
    }
  }

  @Override
  public void close() throws Exception {
    awaitReplacements();
    closeAll();
  }

  private synchronized void closeAll() throws Exception {
    for (Map.Entry<String, InvokedFunction> function : running.entrySet()) {
      keepLog(function.getKey(), function.getValue());
      function.getValue().close();
    }
    running.clear();
  }

  /** The instance's log outlives it: a violation is read from what the functions said. */
  private void keepLog(String name, InvokedFunction function) {
    Path kept = logs.resolve(name + "-" + instances.incrementAndGet() + ".log");
    try {
      Files.copy(function.logFile(), kept, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    } catch (java.io.IOException e) {
      System.err.println("faults: " + name + "'s log not kept at " + kept + ": " + e);
    }
  }
}
