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
 * Drains a child process's output on a daemon thread (a full pipe would block the child), keeps
 * the last lines for error messages, and completes {@link #ready()} when the ready line appears.
 */
final class OutputTail {

  private static final int MAX_LINES = 40;

  private final Deque<String> lines = new ArrayDeque<>();
  private final CompletableFuture<Void> ready = new CompletableFuture<>();
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

  /** Completes once a line containing the ready text has been printed. */
  CompletableFuture<Void> ready() {
    return ready;
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
          ready.complete(null);
        }
      }
    } catch (IOException e) {
      // The stream closes abruptly when the process is killed; nothing left to read.
      ready.completeExceptionally(new UncheckedIOException(e));
    }
  }

  private synchronized void remember(String line) {
    if (lines.size() == MAX_LINES) {
      lines.removeFirst();
    }
    lines.addLast(line);
  }
}
