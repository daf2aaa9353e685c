package io.batchdrop.testing;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One file per running emulator naming the JVM that owns it, so that a later run can stop emulators
 * whose owner was killed outright (SIGKILL, a crashed fork) and never ran its shutdown hook. Start
 * instants are recorded with the PIDs so a reused PID is never mistaken for either.
 */
final class ProcessLedger {

  private static final Duration STOP_GRACE = Duration.ofSeconds(5);

  private final Path directory;

  ProcessLedger(Path directory) {
    this.directory = directory;
  }

  /** The ledger every harness on this machine shares, under {@code java.io.tmpdir}. */
  static ProcessLedger shared() {
    return new ProcessLedger(Path.of(System.getProperty("java.io.tmpdir"), "batchdrop-emulators"));
  }

  /** Records that this JVM owns {@code emulator}. */
  void record(ProcessHandle emulator) {
    ProcessHandle owner = ProcessHandle.current();
    String entry = owner.pid() + " " + started(owner) + " " + started(emulator);
    try {
      Files.createDirectories(directory);
      Files.writeString(entryFile(emulator), entry);
    } catch (IOException e) {
      // The ledger is a safety net; an emulator without an entry still stops on close and exit.
    }
  }

  void forget(ProcessHandle emulator) {
    try {
      Files.deleteIfExists(entryFile(emulator));
    } catch (IOException e) {
      // Same as above: a stale entry is dropped by the next sweep.
    }
  }

  /**
   * Stops every recorded emulator whose owning JVM is gone and drops its entry.
   *
   * @return the PIDs of the emulators stopped
   */
  List<Long> stopOrphans() {
    List<Long> stopped = new ArrayList<>();
    if (!Files.isDirectory(directory)) {
      return stopped;
    }
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory, "[0-9]*")) {
      for (Path entry : entries) {
        sweep(entry).ifPresent(stopped::add);
      }
    } catch (IOException e) {
      // Nothing we can sweep; leftovers stay as they were.
    }
    return stopped;
  }

  private Optional<Long> sweep(Path entry) {
    try {
      String[] fields = Files.readString(entry).trim().split(" ");
      if (fields.length != 3 || isRunning(Long.parseLong(fields[0]), fields[1])) {
        return Optional.empty();
      }
      Optional<ProcessHandle> emulator =
          ProcessHandle.of(Long.parseLong(entry.getFileName().toString()))
              .filter(process -> started(process).equals(fields[2]));
      emulator.ifPresent(process -> ProcessTree.stop(process, STOP_GRACE));
      Files.deleteIfExists(entry);
      return emulator.map(ProcessHandle::pid);
    } catch (IOException | NumberFormatException e) {
      // Another run swept it first, or it is not ours to read.
      return Optional.empty();
    }
  }

  private static boolean isRunning(long pid, String startInstant) {
    return ProcessHandle.of(pid)
        .filter(process -> started(process).equals(startInstant))
        .isPresent();
  }

  private static String started(ProcessHandle process) {
    return process.info().startInstant().map(Instant::toString).orElse("unknown");
  }

  private Path entryFile(ProcessHandle emulator) {
    return directory.resolve(Long.toString(emulator.pid()));
  }
}
