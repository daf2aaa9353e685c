package io.batchdrop.emulator.gemini;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/** Bytes collected chunk by chunk, with their SHA-256, under a size limit. */
final class FileBytes {

  private final List<byte[]> chunks = new ArrayList<>();
  private final MessageDigest sha256;
  private long size;

  FileBytes() {
    try {
      sha256 = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  void add(byte[] chunk) {
    if (chunk.length > 0) {
      chunks.add(chunk);
      sha256.update(chunk);
      size += chunk.length;
    }
  }

  long size() {
    return size;
  }

  List<byte[]> chunks() {
    return chunks;
  }

  String sha256Base64() {
    return Base64.getEncoder().encodeToString(sha256.digest());
  }
}
