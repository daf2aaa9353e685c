package io.batchdrop.testing;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.IntFunction;
import java.util.function.UnaryOperator;

/**
 * An emulator running as a child process. Closing it stops the whole process tree by PID; a JVM
 * shutdown hook does the same for anything not closed.
 *
 * <p>Launching and waiting are separate steps so that several emulators boot in parallel and a
 * failure of one can stop the others at once.
 */
public final class EmulatorProcess implements AutoCloseable {

  private static final Duration STOP_GRACE = Duration.ofSeconds(5);

  private final EmulatorCommand command;
  private final Process process;
  private final OutputTail output;
  private final long launchedAt;

  private EmulatorProcess(
      EmulatorCommand command, Process process, OutputTail output, long launchedAt) {
    this.command = command;
    this.process = process;
    this.output = output;
    this.launchedAt = launchedAt;
  }

  /** Launches and waits until ready; see {@link #awaitReady(Duration)}. */
  static EmulatorProcess start(EmulatorCommand command, Duration timeout) {
    return launch(command).awaitReady(timeout);
  }

  /** How often an emulator that lost its port is relaunched on another one. */
  static final int PORT_RETRIES = 3;

  /**
   * Waits until {@code launched} is ready. A port is picked free and handed to the emulator, which
   * binds it a moment later; if something else took it meanwhile, the emulator is relaunched on
   * another free port (each launch goes through {@code register}, so it is stopped with the rest).
   */
  static EmulatorProcess awaitReadyOnAFreePort(
      EmulatorProcess launched,
      IntFunction<EmulatorCommand> onPort,
      Duration timeout,
      UnaryOperator<EmulatorProcess> register) {
    EmulatorProcess process = launched;
    for (int relaunches = 0; ; relaunches++) {
      try {
        return process.awaitReady(timeout);
      } catch (EmulatorStartException e) {
        if (relaunches == PORT_RETRIES || !e.getMessage().contains("Address already in use")) {
          throw e;
        }
        process = register.apply(launch(onPort.apply(FreePort.pick())));
      }
    }
  }

  /** Launches the command without waiting for it to serve. */
  static EmulatorProcess launch(EmulatorCommand command) {
    long launchedAt = System.nanoTime();
    Process process;
    try {
      process = new ProcessBuilder(command.command()).redirectErrorStream(true).start();
    } catch (IOException e) {
      throw new EmulatorStartException(
          "could not launch the " + command.name() + " emulator: " + command.command(), e);
    }
    ProcessReaper.register(process.toHandle());
    OutputTail output =
        OutputTail.watch(command.name(), process.getInputStream(), command.readyLine());
    return new EmulatorProcess(command, process, output, launchedAt);
  }

  /**
   * Blocks until the emulator prints its ready line, says its port is in use, exits, or {@code
   * timeout} passes; in all but the first case the process tree is stopped and the error shows the
   * end of its output.
   *
   * @return this
   */
  EmulatorProcess awaitReady(Duration timeout) {
    try {
      CompletableFuture.anyOf(output.ready(), process.onExit(), output.portTaken())
          .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      if (!output.ready().isDone() && output.portTaken().isDone()) {
        throw failure("could not listen: " + output.portTaken().join().strip());
      }
      if (!output.ready().isDone()) {
        output.drained().get(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS);
        throw failure("exited with code " + process.exitValue() + " before it was ready");
      }
      return this;
    } catch (TimeoutException e) {
      throw stopAfter(failure("did not print \"" + command.readyLine() + "\" within " + timeout));
    } catch (ExecutionException e) {
      throw stopAfter(failure("its output stream failed: " + e.getCause()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw stopAfter(failure("interrupted while waiting for it to start"));
    } catch (EmulatorStartException e) {
      throw stopAfter(e);
    }
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

  /** From launch until the ready line; only meaningful once {@link #awaitReady} returned. */
  public Duration startupTime() {
    return Duration.ofNanos(output.ready().join() - launchedAt);
  }

  /** The last lines the emulator printed. */
  public String outputTail() {
    return output.text();
  }

  /** Stops the process and all its descendants; fails if any of them survives a kill. */
  @Override
  public void close() {
    List<ProcessHandle> survivors = ProcessTree.stop(process.toHandle(), STOP_GRACE);
    ProcessReaper.unregister(process.toHandle());
    if (!survivors.isEmpty()) {
      throw new IllegalStateException(
          "emulator processes survived a kill: "
              + survivors.stream().map(ProcessHandle::pid).toList());
    }
  }

  private EmulatorStartException stopAfter(EmulatorStartException failure) {
    try {
      close();
    } catch (RuntimeException e) {
      failure.addSuppressed(e);
    }
    return failure;
  }

  private EmulatorStartException failure(String what) {
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
}
