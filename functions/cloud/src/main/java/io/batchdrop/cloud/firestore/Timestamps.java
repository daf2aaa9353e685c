package io.batchdrop.cloud.firestore;

import com.google.cloud.Timestamp;
import java.time.Instant;

/** Conversions between {@link Instant} and Firestore's {@link Timestamp}. */
public final class Timestamps {
  private Timestamps() {}

  public static Timestamp of(Instant instant) {
    return Timestamp.ofTimeSecondsAndNanos(instant.getEpochSecond(), instant.getNano());
  }

  public static Instant toInstant(Timestamp timestamp) {
    return Instant.ofEpochSecond(timestamp.getSeconds(), timestamp.getNanos());
  }
}
