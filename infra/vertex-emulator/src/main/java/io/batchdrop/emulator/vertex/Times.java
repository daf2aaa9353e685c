package io.batchdrop.emulator.vertex;

import com.google.protobuf.Timestamp;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** Conversions between instants and the time formats Vertex writes. */
final class Times {

  /** Output directory suffix, e.g. {@code 2026-09-02T20:06:30.166279Z}. */
  private static final DateTimeFormatter DIRECTORY =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);

  /** Row {@code processed_time}, e.g. {@code 2024-11-13T14:04:28.376+00:00}. */
  private static final DateTimeFormatter PROCESSED =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSxxx").withZone(ZoneOffset.UTC);

  private Times() {}

  static Timestamp timestamp(Instant instant) {
    return Timestamp.newBuilder()
        .setSeconds(instant.getEpochSecond())
        .setNanos(instant.getNano())
        .build();
  }

  static Instant instant(Timestamp timestamp) {
    return Instant.ofEpochSecond(timestamp.getSeconds(), timestamp.getNanos());
  }

  static String directorySuffix(Instant instant) {
    return DIRECTORY.format(instant);
  }

  static String processedTime(Instant instant) {
    return PROCESSED.format(instant);
  }
}
