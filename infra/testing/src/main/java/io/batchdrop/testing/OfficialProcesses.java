package io.batchdrop.testing;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * The official Pub/Sub and Firestore emulator processes, the part of a {@link LocalCloud} that is
 * slow to start (two JVMs). Both emulators keep each project's data apart, so any number of clouds
 * with different project ids can share one pair ({@link LocalCloud#onShared}); whoever launched
 * them closes them, which stops both process trees by PID.
 */
final class OfficialProcesses implements AutoCloseable {

  private final Closer closer = new Closer();
  private final LocalCloudConfig config;
  private final IntFunction<EmulatorCommand> pubsubOn;
  private final IntFunction<EmulatorCommand> firestoreOn;
  private final EmulatorProcess pubsubLaunch;
  private final EmulatorProcess firestoreLaunch;
  private EmulatorProcess pubsub;
  private EmulatorProcess firestore;

  private OfficialProcesses(LocalCloudConfig config) {
    this.config = config;
    // Both components are looked up before anything starts, so a missing one fails fast.
    this.pubsubOn = port -> OfficialEmulators.pubsub(config.sdk(), port);
    this.firestoreOn = port -> OfficialEmulators.firestore(config.sdk(), port);
    boolean freePorts = config.portBase() == 0;
    EmulatorCommand pubsubCommand =
        pubsubOn.apply(freePorts ? FreePort.pick() : config.pubsubPort());
    EmulatorCommand firestoreCommand =
        firestoreOn.apply(freePorts ? FreePort.pick() : config.firestorePort());
    List<Long> orphans = ProcessReaper.stopOrphansOfKilledRuns();
    if (!orphans.isEmpty()) {
      System.err.println("[batchdrop-testing] stopped emulators left by a killed run: " + orphans);
    }
    // Both JVMs boot in parallel.
    this.pubsubLaunch = closer.register(EmulatorProcess.launch(pubsubCommand));
    try {
      this.firestoreLaunch = closer.register(EmulatorProcess.launch(firestoreCommand));
    } catch (RuntimeException e) {
      try {
        closer.close();
      } catch (RuntimeException closeFailure) {
        e.addSuppressed(closeFailure);
      }
      throw e;
    }
  }

  /**
   * Launches both JVMs without waiting for them, so the caller can do other work while they boot;
   * {@link #awaitReady} then waits.
   */
  static OfficialProcesses launch(LocalCloudConfig config) {
    return new OfficialProcesses(config);
  }

  /** Launches both and waits until both serve; on failure stops what had started. */
  static OfficialProcesses start(LocalCloudConfig config) {
    OfficialProcesses processes = launch(config);
    try {
      return processes.awaitReady();
    } catch (RuntimeException | Error e) {
      try {
        processes.close();
      } catch (RuntimeException closeFailure) {
        e.addSuppressed(closeFailure);
      }
      throw e;
    }
  }

  /**
   * Waits until both emulators print their ready lines. On free ports an emulator that lost its
   * port to another process is relaunched on another one; fixed ports were asked for, so a port in
   * use is reported, never silently moved.
   *
   * @return this
   */
  OfficialProcesses awaitReady() {
    if (config.portBase() == 0) {
      pubsub =
          EmulatorProcess.awaitReadyOnAFreePort(
              pubsubLaunch, pubsubOn, config.startTimeout(), closer::register);
      firestore =
          EmulatorProcess.awaitReadyOnAFreePort(
              firestoreLaunch, firestoreOn, config.startTimeout(), closer::register);
    } else {
      pubsub = pubsubLaunch.awaitReady(config.startTimeout());
      firestore = firestoreLaunch.awaitReady(config.startTimeout());
    }
    return this;
  }

  EmulatorProcess pubsub() {
    return pubsub;
  }

  EmulatorProcess firestore() {
    return firestore;
  }

  /** How long each took to print its ready line, by name: pubsub, firestore. */
  Map<String, Duration> startupTimes() {
    Map<String, Duration> times = new LinkedHashMap<>();
    times.put("pubsub", pubsub.startupTime());
    times.put("firestore", firestore.startupTime());
    return times;
  }

  /** Stops both process trees (and any relaunch), by PID. */
  @Override
  public void close() {
    closer.close();
  }
}
