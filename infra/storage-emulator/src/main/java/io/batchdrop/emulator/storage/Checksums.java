package io.batchdrop.emulator.storage;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.zip.CRC32C;

/** MD5 and CRC32C of a byte stream, computed as it passes, in Cloud Storage's base64 encoding. */
final class Checksums {
  private final MessageDigest md5;
  private final CRC32C crc32c = new CRC32C();
  private long size;

  Checksums() {
    try {
      md5 = MessageDigest.getInstance("MD5");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has MD5", e);
    }
  }

  void update(byte[] bytes, int offset, int length) {
    md5.update(bytes, offset, length);
    crc32c.update(bytes, offset, length);
    size += length;
  }

  long size() {
    return size;
  }

  /** Final values; call once, after the last update. */
  Digests finish() {
    return new Digests(
        size,
        Base64.getEncoder().encodeToString(md5.digest()),
        Base64.getEncoder()
            .encodeToString(ByteBuffer.allocate(4).putInt((int) crc32c.getValue()).array()));
  }

  /** The finished checksums of a complete object. */
  record Digests(long size, String md5Hash, String crc32c) {}
}
