package io.batchdrop.cloud.run;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * One run per uploaded object generation: a short lowercase hash of {@code bucket/name#generation},
 * valid as a Firestore document id and as a Vertex label value. An overwrite is a new generation,
 * so a new run.
 */
public record RunId(String value) {
  private static final Pattern FORMAT = Pattern.compile("[0-9a-f]{20}");

  public RunId {
    if (!FORMAT.matcher(value).matches()) {
      throw new IllegalArgumentException("not a run id: " + value);
    }
  }

  public static RunId of(String bucket, String name, long generation) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256")
              .digest((bucket + "/" + name + "#" + generation).getBytes(StandardCharsets.UTF_8));
      return new RunId(HexFormat.of().formatHex(digest, 0, 10));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  @Override
  public String toString() {
    return value;
  }
}
