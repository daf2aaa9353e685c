package io.batchdrop.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.CompletableFuture;

/**
 * Drains a child process's output on a daemon thread (a full pipe would block the child), keeps the
 * last lines for error messages, and completes {@link #ready()} when the ready line appears.
 */
final class OutputTail {

  private static final int MAX_LINES = 40;
  static final String PORT_TAKEN = "Address already in use";

  private final Deque<String> lines = new ArrayDeque<>();
  private final CompletableFuture<Long> ready = new CompletableFuture<>();
  private final CompletableFuture<Void> drained = new CompletableFuture<>();
  private final CompletableFuture<String> portTaken = new CompletableFuture<>();
  private final String readyLine;

  private OutputTail(String readyLine) {
    this.readyLine = readyLine;
  }

  /** Starts draining {@code output}; {@code name} names the thread. */
  static OutputTail watch(String name, InputStream output, String readyLine) {
    OutputTail tail = new OutputTail(readyLine);
    Thread drain = new Thread(() -> tail.drain(output), name + "-output");
    drain.setDaemon(true);
    drain.start();
    return tail;
  }

  /** Completes with the {@link System#nanoTime()} at which the ready line was read. */
  CompletableFuture<Long> ready() {
    return ready;
  }

  /**
   * Completes with the line when the process says its port is in use: the official Pub/Sub emulator
   * prints its {@code BindException} and then neither serves nor exits.
   */
  CompletableFuture<String> portTaken() {
    return portTaken;
  }

  /**
   * Completes when the output has ended, so {@link #text()} holds the last words of a dead process.
   */
  CompletableFuture<Void> drained() {
    return drained;
  }

  /** The last lines printed, oldest first. */
  synchronized String text() {
    return String.join(System.lineSeparator(), lines);
  }

  private void drain(InputStream output) {
    try (BufferedReader reader =
        new BufferedReader(new InputStreamReader(output, StandardCharsets.UTF_8))) {
      String line;
      while ((line = reader.readLine()) != null) {
        remember(line);
        if (line.contains(readyLine)) {
          ready.complete(System.nanoTime());
        }
        if (line.contains(PORT_TAKEN)) {
          portTaken.complete(line);
        }
      }
    } catch (IOException e) {
      // The stream closes abruptly when the process is killed; nothing left to read.
      ready.completeExceptionally(new UncheckedIOException(e));
    } finally {
      drained.complete(null);
    }
  }

  private synchronized void remember(String line) {
    if (lines.size() == MAX_LINES) {
      lines.removeFirst();
    }
    lines.addLast(line);
  }
}
