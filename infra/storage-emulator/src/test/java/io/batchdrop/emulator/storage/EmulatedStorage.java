package io.batchdrop.emulator.storage;

import com.google.cloud.NoCredentials;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.StorageOptions;
import java.io.IOException;

/** A running emulator and an official client pointed at it, the way the functions build theirs. */
final class EmulatedStorage implements AutoCloseable {
  private final StorageEmulator emulator;
  private final Storage storage;

  private EmulatedStorage(StorageEmulator emulator) {
    this.emulator = emulator;
    this.storage = clientFor(emulator);
  }

  static EmulatedStorage start(StorageEmulatorConfig config) throws IOException {
    return new EmulatedStorage(StorageEmulator.start(config));
  }

  static Storage clientFor(StorageEmulator emulator) {
    return StorageOptions.http()
        .setHost(emulator.baseUri().toString())
        .setProjectId("p")
        .setCredentials(NoCredentials.getInstance())
        .build()
        .getService();
  }

  StorageEmulator emulator() {
    return emulator;
  }

  Storage storage() {
    return storage;
  }

  @Override
  public void close() {
    try {
      storage.close();
    } catch (Exception e) {
      throw new IllegalStateException("closing the storage client failed", e);
    } finally {
      emulator.close();
    }
  }
}
