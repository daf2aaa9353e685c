package io.batchdrop.localstack;

import io.batchdrop.emulator.storage.GsutilBotoConfig;
import io.batchdrop.emulator.storage.StorageEmulator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What native gsutil needs to reach a running stack: a boto file naming the storage emulator's
 * HTTPS listener, and the emulator's certificate. Both live in a directory named after the storage
 * port, so with fixed ports a pasted {@code BOTO_CONFIG} stays valid across restarts although the
 * HTTPS port and the certificate change at every start.
 */
record GsutilFiles(Path botoConfig, Path certificate) implements AutoCloseable {
  static final String BOTO_CONFIG = "BOTO_CONFIG";

  /**
   * gcloud's gsutil wrapper passes this property to gsutil as {@code Boto:ca_certificates_file},
   * over the boto file; an installation that sets it (a corporate proxy's CA) would otherwise make
   * gsutil distrust the emulator. gcloud itself reaches the emulators over plain HTTP.
   */
  static final String GCLOUD_CA_FILE = "CLOUDSDK_CORE_CUSTOM_CA_CERTS_FILE";

  /** The directory {@code up} uses for a storage emulator on {@code storagePort}. */
  static Path directoryFor(int storagePort) {
    return Path.of(System.getProperty("java.io.tmpdir"), "batchdrop-up-" + storagePort);
  }

  static GsutilFiles write(StorageEmulator emulator, String projectId, Path directory) {
    try {
      Files.createDirectories(directory);
      Path certificate = directory.resolve("storage-ca.pem");
      Path boto = directory.resolve("boto.cfg");
      writeAtomically(certificate, Files.readString(emulator.certificateFile().orElseThrow()));
      GsutilBotoConfig config =
          new GsutilBotoConfig(emulator.httpsBaseUri().orElseThrow(), certificate, projectId);
      writeAtomically(boto, config.text());
      return new GsutilFiles(boto, certificate);
    } catch (IOException e) {
      throw new UncheckedIOException("could not write gsutil's settings to " + directory, e);
    }
  }

  /** The environment that points gsutil at these files. */
  Map<String, String> settings() {
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put(BOTO_CONFIG, botoConfig.toString());
    settings.put(GCLOUD_CA_FILE, certificate.toString());
    return settings;
  }

  @Override
  public void close() throws IOException {
    Files.deleteIfExists(botoConfig);
    Files.deleteIfExists(certificate);
    try {
      Files.deleteIfExists(botoConfig.getParent());
    } catch (java.nio.file.DirectoryNotEmptyException e) {
      // Someone keeps something of their own there.
    }
  }

  private static void writeAtomically(Path file, String text) throws IOException {
    Path partial = file.resolveSibling(file.getFileName() + ".partial");
    Files.writeString(partial, text);
    Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }
}
