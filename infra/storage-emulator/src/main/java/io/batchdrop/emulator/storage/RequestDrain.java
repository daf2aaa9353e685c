package io.batchdrop.emulator.storage;

import java.io.IOException;
import java.io.InputStream;

/** Reads away what is left of a request body, up to a limit, so the connection stays usable. */
final class RequestDrain {
  /** Beyond this an error answer closes the connection instead of reading on. */
  static final long LIMIT = 256L * 1024 * 1024;

  private RequestDrain() {}

  /** True when the body was read to its end; false when the limit stopped it or it broke off. */
  static boolean drain(InputStream body) {
    byte[] chunk = new byte[64 * 1024];
    long total = 0;
    try {
      while (total <= LIMIT) {
        int read = body.read(chunk);
        if (read < 0) {
          return true;
        }
        total += read;
      }
      return false;
    } catch (IOException e) {
      return false;
    }
  }
}
