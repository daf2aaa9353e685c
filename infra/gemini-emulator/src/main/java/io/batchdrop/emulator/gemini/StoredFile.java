package io.batchdrop.emulator.gemini;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.time.Instant;
import java.util.Collections;
import java.util.List;

/**
 * A file of the Files API: its metadata and its bytes, kept as the chunks they arrived in (never
 * copied into one array, so a 2 GB file is not held twice).
 *
 * @param source {@code UPLOADED} or {@code GENERATED} (a batch's responses file)
 */
record StoredFile(
    String id,
    String displayName,
    String mimeType,
    List<byte[]> chunks,
    long size,
    String sha256Base64,
    Instant createTime,
    Instant expirationTime,
    String source) {

  StoredFile {
    chunks = List.copyOf(chunks);
  }

  String name() {
    return "files/" + id;
  }

  boolean expiredAt(Instant now) {
    return !now.isBefore(expirationTime);
  }

  InputStream open() {
    return new SequenceInputStream(
        Collections.enumeration(chunks.stream().map(ByteArrayInputStream::new).toList()));
  }
}
