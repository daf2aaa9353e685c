package io.batchdrop.emulator.storage;

import java.util.Objects;

/** The address of an object: its bucket and its full name (which may contain slashes). */
record ObjectKey(String bucket, String name) {
  ObjectKey {
    Objects.requireNonNull(bucket, "bucket");
    Objects.requireNonNull(name, "name");
  }

  @Override
  public String toString() {
    return bucket + "/" + name;
  }
}
