package io.batchdrop.testing;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Launch commands for the official gcloud emulators.
 *
 * <p>They run their component jars directly on this JVM's {@code java} (Java 17 or newer; both
 * components run on 17) instead of through {@code gcloud emulators ... start}: the gcloud way is a
 * Python wrapper with a JVM child, and killing the wrapper orphans the JVM. One process per
 * emulator makes the PID we hold the PID that serves.
 */
final class OfficialEmulators {
  /**
   * The system property with the emulators' JVM options (space-separated); empty for the JDK's
   * defaults, which the benchmarks use ({@code ./batchdrop bench}).
   */
  static final String JVM_OPTIONS_PROPERTY = "batchdrop.emulator.jvmOptions";

  /**
   * C1 only and the serial collector: an emulator serves one test JVM for minutes, where C2's
   * compiling costs more CPU than it saves. Measured 2026-12-01 on two cores: the Firestore
   * emulator ready in 2.2–2.4 s of CPU instead of 3.2–3.8 s; functions/poll's suite, with the test
   * JVM on the same options, 54 CPU-s instead of 102.
   */
  static final String DEFAULT_JVM_OPTIONS = "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC";

  private OfficialEmulators() {}

  static EmulatorCommand pubsub(GcloudSdk sdk, int port) {
    return new EmulatorCommand(
        "pubsub",
        java("-jar", sdk.pubsubEmulatorJar().toString(), "--host=127.0.0.1", "--port=" + port),
        "Server started, listening on " + port,
        port);
  }

  static EmulatorCommand firestore(GcloudSdk sdk, int port) {
    return new EmulatorCommand(
        "firestore",
        java(
            // The emulator only supports English error messages (as its own launcher script says).
            "-Duser.language=en",
            "-cp",
            sdk.firestoreEmulatorJar().toString(),
            "com.google.cloud.datastore.emulator.firestore.CloudFirestore",
            "start",
            "--host=127.0.0.1",
            "--port=" + port,
            "--database-mode=firestore-native"),
        "Dev App Server is now running",
        port);
  }

  /** This JVM's {@code java} with the emulators' JVM options, then {@code arguments}. */
  private static List<String> java(String... arguments) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions(System.getProperty(JVM_OPTIONS_PROPERTY)));
    command.addAll(Arrays.asList(arguments));
    return command;
  }

  /** The options a value of {@link #JVM_OPTIONS_PROPERTY} names; unset means the defaults. */
  static List<String> jvmOptions(String property) {
    String options = (property == null ? DEFAULT_JVM_OPTIONS : property).strip();
    return options.isEmpty() ? List.of() : List.of(options.split("\\s+"));
  }
}
