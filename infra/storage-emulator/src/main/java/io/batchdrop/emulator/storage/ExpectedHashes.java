package io.batchdrop.emulator.storage;

/**
 * Checksums a client declared for the bytes it sent (the crc32c/md5Hash fields of the resource, or
 * the {@code x-goog-hash} header); Cloud Storage refuses an upload that does not match them.
 */
record ExpectedHashes(String crc32c, String md5Hash) {
  static final ExpectedHashes NONE = new ExpectedHashes(null, null);

  /** Parses {@code x-goog-hash: crc32c=...,md5=...}. */
  static ExpectedHashes fromHeader(String header) {
    if (header == null) {
      return NONE;
    }
    String crc32c = null;
    String md5 = null;
    for (String part : header.split(",")) {
      String trimmed = part.trim();
      int eq = trimmed.indexOf('=');
      if (eq < 0) {
        continue;
      }
      String name = trimmed.substring(0, eq);
      String value = trimmed.substring(eq + 1);
      if (name.equalsIgnoreCase("crc32c")) {
        crc32c = value;
      } else if (name.equalsIgnoreCase("md5")) {
        md5 = value;
      }
    }
    return new ExpectedHashes(crc32c, md5);
  }

  ExpectedHashes or(ExpectedHashes other) {
    return new ExpectedHashes(
        crc32c != null ? crc32c : other.crc32c, md5Hash != null ? md5Hash : other.md5Hash);
  }

  void verify(Checksums.Digests actual) {
    if (crc32c != null && !crc32c.equals(actual.crc32c())) {
      throw ApiException.invalid(
          "Provided CRC32C \""
              + crc32c
              + "\" doesn't match calculated CRC32C \""
              + actual.crc32c()
              + "\".");
    }
    if (md5Hash != null && !md5Hash.equals(actual.md5Hash())) {
      throw ApiException.invalid(
          "Provided MD5 hash \""
              + md5Hash
              + "\" doesn't match calculated MD5 hash \""
              + actual.md5Hash()
              + "\".");
    }
  }
}
