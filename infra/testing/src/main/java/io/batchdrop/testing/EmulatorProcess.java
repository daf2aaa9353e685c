package io.batchdrop.testing;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * An emulator running as a child process, ready to serve. Closing it stops the whole process tree
 * by PID; a JVM shutdown hook does the same for anything not closed.
 */
public final class EmulatorProcess implements AutoCloseable {

  private static final Duration STOP_GRACE = Duration.ofSeconds(5);

  private final EmulatorCommand command;
  private final Process process;
  private final OutputTail output;
  private final Duration startupTime;

  private EmulatorProcess(
      EmulatorCommand command, Process process, OutputTail output, Duration startupTime) {
    this.command = command;
    this.process = process;
    this.output = output;
    this.startupTime = startupTime;
  }

  /**
   * Launches the command and blocks until it prints its ready line, exits, or {@code timeout}
   * passes; in the last two cases the process tree is stopped and the error shows its output.
   */
  static EmulatorProcess start(EmulatorCommand command, Duration timeout) {
    long started = System.nanoTime();
    Process process = launch(command);
    ProcessReaper.register(process.toHandle());
    OutputTail output = OutputTail.watch(command.name(), process.getInputStream(), command.readyLine());
    try {
      awaitReady(command, process, output, timeout);
    } catch (RuntimeException e) {
      stop(process.toHandle());
      throw e;
    }
    return new EmulatorProcess(
        command, process, output, Duration.ofNanos(System.nanoTime() - started));
  }

  public String name() {
    return command.name();
  }

  /** {@code 127.0.0.1:PORT}. */
  public String hostPort() {
    return command.hostPort();
  }

  public long pid() {
    return process.pid();
  }

  /** From launch until the ready line. */
  public Duration startupTime() {
    return startupTime;
  }

  /** The last lines the emulator printed. */
  public String outputTail() {
    return output.text();
  }

  /** Stops the process and all its descendants; fails if any of them survives a kill. */
  @Override
  public void close() {
    stop(process.toHandle());
  }

  private static Process launch(EmulatorCommand command) {
    try {
      return new ProcessBuilder(command.command()).redirectErrorStream(true).start();
    } catch (IOException e) {
      throw new EmulatorStartException(
          "could not launch the " + command.name() + " emulator: " + command.command(), e);
    }
  }

  private static void awaitReady(
      EmulatorCommand command, Process process, OutputTail output, Duration timeout) {
    CompletableFuture<Object> readyOrExit = CompletableFuture.anyOf(output.ready(), process.onExit());
    try {
      readyOrExit.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw failure(command, output, "did not print \"" + command.readyLine() + "\" within " + timeout);
    } catch (ExecutionException e) {
      throw failure(command, output, "its output stream failed: " + e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw failure(command, output, "interrupted while waiting for it to start");
    }
    if (!output.ready().isDone()) {
      throw failure(command, output, "exited with code " + process.exitValue() + " before it was ready");
    }
  }

  private static EmulatorStartException failure(
      EmulatorCommand command, OutputTail output, String what) {
    return new EmulatorStartException(
        "The "
            + command.name()
            + " emulator on "
            + command.hostPort()
            + " "
            + what
            + ".\nCommand: "
            + String.join(" ", command.command())
            + "\nLast output:\n"
            + output.text());
  }

  private static void stop(ProcessHandle root) {
    List<ProcessHandle> survivors = ProcessTree.stop(root, STOP_GRACE);
    ProcessReaper.unregister(root);
    if (!survivors.isEmpty()) {
      throw new IllegalStateException(
          "emulator processes survived a kill: " + survivors.stream().map(ProcessHandle::pid).toList());
    }
  }
}
