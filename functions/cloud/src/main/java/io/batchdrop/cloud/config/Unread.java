package io.batchdrop.cloud.config;

/**
 * A setting of a group the function did not read ({@link BatchdropConfig#forFunction}): null for
 * objects, {@link #NUMBER} (below every setting's minimum) or {@link #RATIO} for numbers. Asking
 * for one is a programming error, reported with the variable and who reads it.
 */
final class Unread {
  static final int NUMBER = 0;
  static final double RATIO = Double.NaN;

  private Unread() {}

  static <T> T check(T value, String variable, String readBy) {
    if (value == null) {
      throw absent(variable, readBy);
    }
    return value;
  }

  static int check(int value, String variable, String readBy) {
    if (value == NUMBER) {
      throw absent(variable, readBy);
    }
    return value;
  }

  static long check(long value, String variable, String readBy) {
    if (value == NUMBER) {
      throw absent(variable, readBy);
    }
    return value;
  }

  static double check(double value, String variable, String readBy) {
    if (Double.isNaN(value)) {
      throw absent(variable, readBy);
    }
    return value;
  }

  private static IllegalStateException absent(String variable, String readBy) {
    return new IllegalStateException(
        variable
            + " is read by "
            + readBy
            + " only, and this configuration was read for another function; expected that"
            + " function to read it in its own group (BatchdropConfig.forFunction, design §8)");
  }
}
