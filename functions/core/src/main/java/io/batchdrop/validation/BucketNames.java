package io.batchdrop.validation;

/**
 * Cloud Storage bucket naming, as a row's {@code gs://} URI and the deployment's bucket allow-list
 * must both spell it: the two are compared as written.
 */
public final class BucketNames {
  private BucketNames() {}

  /** 3-222 of a-z 0-9 . _ -, starting and ending with a letter or digit. */
  public static boolean isBucketName(String b) {
    int n = b.length();
    if (n < 3 || n > 222) {
      return false;
    }
    for (int i = 0; i < n; i++) {
      char ch = b.charAt(i);
      boolean alnum = (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9');
      if (!alnum && ((i == 0 || i == n - 1) || (ch != '-' && ch != '_' && ch != '.'))) {
        return false;
      }
    }
    return true;
  }
}
