package io.batchdrop.emulator.storage;

/** A live object version: its metadata and its bytes. */
record StoredObject(ObjectMeta meta, BlobContent content) {}
