package io.batchdrop.faults;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;

/**
 * A round's upload: mostly good requests, with the rows every path needs: invalid ones (a role that
 * does not exist, set aside by validation), ones the backend fails once with 429 (retried in a next
 * attempt) and ones it refuses with 400 (published failed). Seeded, so a seed gives the same file.
 * {@code expected} is the outcome each row must end with, since every other fault is transient: a
 * row failed or missing for a fault a retry fixes is a promise broken, even with one outcome.
 */
record RoundFile(byte[] content, Map<Long, String> expected) {

  static RoundFile of(int rows, Random random) {
    Map<Long, String> expected = new HashMap<>();
    StringBuilder file = new StringBuilder(rows * 120);
    for (int row = 1; row <= rows; row++) {
      int dice = random.nextInt(100);
      String role = dice < 3 ? "tester" : "user";
      expected.put((long) row, dice < 3 ? "invalid" : dice == 6 ? "failed" : "succeeded");
      String marker =
          dice >= 3 && dice < 6 ? " [vertex:fail-429-once]" : dice == 6 ? " [vertex:fail-400]" : "";
      file.append("{\"key\":\"k-")
          .append(row)
          .append("\",\"request\":{\"contents\":[{\"role\":\"")
          .append(role)
          .append("\",\"parts\":[{\"text\":\"Question ")
          .append(random.nextInt(1_000_000))
          .append(" of row ")
          .append(row)
          .append('.')
          .append(marker)
          .append("\"}]}]}}\n");
    }
    return new RoundFile(file.toString().getBytes(StandardCharsets.UTF_8), Map.copyOf(expected));
  }
}
