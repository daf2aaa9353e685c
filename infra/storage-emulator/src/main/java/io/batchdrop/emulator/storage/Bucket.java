package io.batchdrop.emulator.storage;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/** A bucket. The emulator keeps only what the clients read back and may change. */
record Bucket(
    String name,
    Instant timeCreated,
    String location,
    String storageClass,
    long metageneration,
    Instant updated,
    Map<String, String> labels) {

  Bucket {
    labels = Map.copyOf(Objects.requireNonNull(labels, "labels"));
  }

  static Bucket created(String name, Instant now, String location, String storageClass) {
    return new Bucket(name, now, location, storageClass, 1, now, Map.of());
  }

  /** The bucket after an update: a new metageneration, as Cloud Storage counts them. */
  Bucket changed(String newStorageClass, Map<String, String> newLabels, Instant now) {
    return new Bucket(
        name, timeCreated, location, newStorageClass, metageneration + 1, now, newLabels);
  }
}
