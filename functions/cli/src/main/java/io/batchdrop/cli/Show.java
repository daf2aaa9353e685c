package io.batchdrop.cli;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

/** Small text helpers of the operator commands' human output. */
final class Show {
  private Show() {}

  /** {@code 3d4h}, {@code 2h05m}, {@code 4m10s}, {@code 12s}. */
  static String duration(Duration d) {
    long s = Math.max(0, d.getSeconds());
    if (s >= 86_400) {
      return (s / 86_400) + "d" + (s % 86_400) / 3600 + "h";
    }
    if (s >= 3600) {
      return String.format(Locale.ROOT, "%dh%02dm", s / 3600, (s % 3600) / 60);
    }
    if (s >= 60) {
      return String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
    }
    return s + "s";
  }

  static String since(Instant then, Instant now) {
    return then == null ? "-" : duration(Duration.between(then, now));
  }

  static String usd(BigDecimal amount) {
    return amount == null ? "-" : "$" + amount.setScale(6, RoundingMode.HALF_UP).toPlainString();
  }

  static String number(long n) {
    return String.format(Locale.ROOT, "%,d", n);
  }

  /** {@code [########............]} of {@code width} cells. */
  static String bar(long done, long total, int width) {
    int filled = total <= 0 ? 0 : (int) Math.min(width, done * width / total);
    return "[" + "#".repeat(filled) + ".".repeat(width - filled) + "]";
  }

  static String percent(long done, long total) {
    return total <= 0 ? "-" : (done * 100 / total) + "%";
  }

  /** An ANSI colour, only when a person is looking. */
  static String colour(boolean terminal, String state, String text) {
    if (!terminal || state == null) {
      return text;
    }
    String code =
        switch (state) {
          case "SUCCEEDED", "JOB_STATE_SUCCEEDED" -> "32";
          case "FAILED",
              "REJECTED",
              "JOB_STATE_FAILED",
              "CREATE_FAILED",
              "JOB_LOST",
              "JOB_STATE_EXPIRED" ->
              "31";
          case "PARTIAL", "CANCELLED", "JOB_STATE_CANCELLED", "JOB_STATE_PARTIALLY_SUCCEEDED" ->
              "33";
          default -> "36";
        };
    return "\u001b[" + code + "m" + text + "\u001b[0m";
  }
}
