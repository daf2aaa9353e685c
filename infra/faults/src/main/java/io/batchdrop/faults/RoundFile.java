package io.batchdrop.faults;

import java.nio.charset.StandardCharsets;
import java.util.Random;

/**
 * A round's upload: mostly good requests, with the rows every path needs: invalid ones (a role that
 * does not exist, set aside by validation), ones Vertex fails once with 429 (retried in a next
 * attempt) and ones it refuses with 400 (published failed). Seeded, so a seed gives the same file.
 */
final class RoundFile {
  private RoundFile() {}

  static byte[] content(int rows, Random random) {
    StringBuilder file = new StringBuilder(rows * 120);
    for (int row = 1; row <= rows; row++) {
      int dice = random.nextInt(100);
      String role = dice < 3 ? "tester" : "user";
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
    return file.toString().getBytes(StandardCharsets.UTF_8);
  }
}
