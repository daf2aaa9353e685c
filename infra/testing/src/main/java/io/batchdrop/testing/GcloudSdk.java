package io.batchdrop.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * The Google Cloud SDK install whose emulator components the harness launches.
 *
 * <p>The root is {@value #ROOT_VARIABLE} when set, else the directory holding the {@code gcloud}
 * found on {@code PATH}, else {@value #DEBIAN_ROOT} (where the Debian packages put it).
 *
 * @param root the SDK root, the directory that contains {@code platform/}
 */
public record GcloudSdk(Path root) {

  /** Environment variable that overrides where the SDK is. */
  public static final String ROOT_VARIABLE = "BATCHDROP_GCLOUD_SDK";

  static final String DEBIAN_ROOT = "/usr/lib/google-cloud-sdk";
  static final String PUBSUB_PACKAGE = "google-cloud-cli-pubsub-emulator";
  static final String FIRESTORE_PACKAGE = "google-cloud-cli-firestore-emulator";

  /** Finds the SDK from this process's environment. */
  public static GcloudSdk locate() {
    return locate(System.getenv());
  }

  static GcloudSdk locate(Map<String, String> environment) {
    String configured = environment.get(ROOT_VARIABLE);
    if (configured != null && !configured.isBlank()) {
      return new GcloudSdk(Path.of(configured));
    }
    return new GcloudSdk(
        gcloudOnPath(environment.getOrDefault("PATH", "")).orElse(Path.of(DEBIAN_ROOT)));
  }

  /** The all-in-one jar of the Pub/Sub emulator component (its file name carries a version). */
  public Path pubsubEmulatorJar() {
    Path lib = root.resolve("platform/pubsub-emulator/lib");
    if (Files.isDirectory(lib)) {
      try (DirectoryStream<Path> jars =
          Files.newDirectoryStream(lib, "cloud-pubsub-emulator-*.jar")) {
        for (Path jar : jars) {
          return jar;
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    throw missing("Pub/Sub", lib.resolve("cloud-pubsub-emulator-*.jar"), PUBSUB_PACKAGE);
  }

  /** The jar of the Firestore emulator component. */
  public Path firestoreEmulatorJar() {
    Path jar = root.resolve("platform/cloud-firestore-emulator/cloud-firestore-emulator.jar");
    if (Files.isRegularFile(jar)) {
      return jar;
    }
    throw missing("Firestore", jar, FIRESTORE_PACKAGE);
  }

  private MissingEmulatorException missing(String emulator, Path expected, String debianPackage) {
    return new MissingEmulatorException(
        "The official "
            + emulator
            + " emulator is not installed: "
            + expected
            + " does not exist (Google Cloud SDK root "
            + root
            + "). Install the Debian package "
            + debianPackage
            + " (apt-get install "
            + debianPackage
            + ", or gcloud components install), or set "
            + ROOT_VARIABLE
            + " to an SDK root that has it.");
  }

  private static Optional<Path> gcloudOnPath(String path) {
    for (String dir : path.split(java.io.File.pathSeparator)) {
      if (dir.isEmpty()) {
        continue;
      }
      Path gcloud = Path.of(dir, "gcloud");
      if (Files.isExecutable(gcloud)) {
        try {
          // bin/gcloud inside the SDK, usually reached through a symlink such as /usr/bin/gcloud.
          return Optional.of(gcloud.toRealPath().getParent().getParent());
        } catch (IOException e) {
          return Optional.empty();
        }
      }
    }
    return Optional.empty();
  }
}
