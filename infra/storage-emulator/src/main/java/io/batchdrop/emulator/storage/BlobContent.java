package io.batchdrop.emulator.storage;

import java.io.IOException;
import java.io.InputStream;

/** The bytes of one live object version. */
interface BlobContent {

  /**
   * Opens the bytes from {@code offset}. Called while the object's lock is held, so the stream
   * keeps reading this version even if the object is overwritten afterwards.
   */
  InputStream open(long offset) throws IOException;
}
