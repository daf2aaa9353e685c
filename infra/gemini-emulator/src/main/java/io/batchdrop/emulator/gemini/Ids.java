package io.batchdrop.emulator.gemini;

import java.security.SecureRandom;

/** Resource ids shaped like the real ones: lowercase letters and digits. */
final class Ids {

  private static final String ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";
  private static final SecureRandom RANDOM = new SecureRandom();

  private Ids() {}

  /** 12 characters, like {@code files/abc123xyz789}. */
  static String file() {
    return random(12);
  }

  /** 40 characters, like {@code batches/o08hk76gv328ihxcssjsgwt3g6omtfysxi46}. */
  static String batch() {
    return random(40);
  }

  static String uploadSession() {
    return random(32);
  }

  private static String random(int length) {
    StringBuilder id = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      id.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
    }
    return id.toString();
  }
}
