package io.batchdrop.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class LinePrefixInputStreamTest {

  @Test
  void stopsAtTheEndOfTheLineWhereTheLimitFalls() throws IOException {
    String text = "aaaa\nbbbb\ncccc\n";

    assertThat(read(text, 1, 3)).isEqualTo("aaaa\n");
    assertThat(read(text, 5, 3)).isEqualTo("aaaa\n");
    assertThat(read(text, 6, 4)).isEqualTo("aaaa\nbbbb\n");
    assertThat(read(text, 100, 7)).isEqualTo(text);
  }

  private static String read(String text, long minBytes, int chunk) throws IOException {
    try (InputStream in =
        new LinePrefixInputStream(
            new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), minBytes)) {
      StringBuilder result = new StringBuilder();
      byte[] buffer = new byte[chunk];
      int n;
      while ((n = in.read(buffer, 0, chunk)) >= 0) {
        result.append(new String(buffer, 0, n, StandardCharsets.UTF_8));
      }
      return result.toString();
    }
  }
}
