package io.batchdrop.emulator.storage;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;

/** Everything the emulator knows about one live object version, apart from its bytes. */
record ObjectMeta(
    ObjectKey key,
    long generation,
    long metageneration,
    long size,
    String md5Hash,
    String crc32c,
    Integer componentCount,
    ObjectAttributes attributes,
    Instant timeCreated,
    Instant updated) {

  ObjectMeta withAttributes(ObjectAttributes newAttributes, Instant now) {
    return new ObjectMeta(
        key,
        generation,
        metageneration + 1,
        size,
        md5Hash,
        crc32c,
        componentCount,
        newAttributes,
        timeCreated,
        now);
  }

  /** Changes with every new generation or metadata change, like Cloud Storage's. */
  String etag() {
    return Base64.getEncoder()
        .encodeToString((generation + "/" + metageneration).getBytes(StandardCharsets.US_ASCII));
  }
}
