package io.batchdrop.emulator.storage;

import java.time.Instant;

/** A bucket. The emulator keeps only what the clients read back. */
record Bucket(String name, Instant timeCreated, String location, String storageClass) {}
