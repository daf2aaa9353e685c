package io.batchdrop.testing;

import java.nio.file.Path;
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

  private OfficialEmulators() {}

  static EmulatorCommand pubsub(GcloudSdk sdk, int port) {
    return new EmulatorCommand(
        "pubsub",
        List.of(
            java(),
            "-jar",
            sdk.pubsubEmulatorJar().toString(),
            "--host=127.0.0.1",
            "--port=" + port),
        "Server started, listening on " + port,
        port);
  }

  static EmulatorCommand firestore(GcloudSdk sdk, int port) {
    return new EmulatorCommand(
        "firestore",
        List.of(
            java(),
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

  private static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }
}
