package io.batchdrop.emulator.storage;

import java.time.Instant;

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

  String etag() {
    return java.util.Base64.getEncoder()
        .encodeToString((generation + "/" + metageneration).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
  }
}
