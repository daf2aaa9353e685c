package io.batchdrop.staging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

class ReadAheadInputStreamTest {
  private static final Duration STALL = Duration.ofMinutes(1);

  @Test
  void readsExactlyTheBytesOfTheStreamItReadsAhead() throws IOException {
    Random random = new Random(5);
    for (int round = 0; round < 50; round++) {
      byte[] data = new byte[random.nextInt(20_000)];
      random.nextBytes(data);
      int bufferBytes = 1 + random.nextInt(random.nextBoolean() ? 16 : 5_000);
      ByteArrayOutputStream copy = new ByteArrayOutputStream();
      try (InputStream in =
          new ReadAheadInputStream(new ByteArrayInputStream(data), "test", 2, bufferBytes, STALL)) {
        byte[] chunk = new byte[1 + random.nextInt(3_000)];
        int n;
        while ((n = in.read(chunk, 0, 1 + random.nextInt(chunk.length))) >= 0) {
          copy.write(chunk, 0, n);
        }
        assertThat(in.read()).isEqualTo(-1);
      }
      assertThat(copy.toByteArray()).as("round %d", round).isEqualTo(data);
    }
  }

  @Test
  void aFailedReadIsThrownToTheReaderWithTheOriginalAsCause() throws IOException {
    IOException gone = new IOException("404 No such object");
    InputStream failing =
        new InputStream() {
          private int left = 1_000;

          @Override
          public int read() throws IOException {
            if (left <= 0) {
              throw gone;
            }
            left--;
            return 'x';
          }
        };
    try (InputStream in = new ReadAheadInputStream(failing, "test", 2, 64, STALL)) {
      assertThatThrownBy(in::readAllBytes)
          .isInstanceOf(IOException.class)
          .hasMessageContaining("404 No such object")
          .cause()
          .isSameAs(gone);
    }
  }

  @Test
  void aDownloadThatStopsDeliveringFailsTheReadAtTheDeadlineInsteadOfHanging() throws IOException {
    CountDownLatch never = new CountDownLatch(1);
    InputStream stalled =
        new InputStream() {
          @Override
          public int read() throws IOException {
            try {
              never.await();
            } catch (InterruptedException e) {
              throw new java.io.InterruptedIOException("closed");
            }
            return -1;
          }
        };
    try (InputStream in =
        new ReadAheadInputStream(stalled, "test", 2, 64, Duration.ofMillis(200))) {
      assertThatThrownBy(in::read)
          .isInstanceOf(IOException.class)
          .hasMessageContaining("no bytes arrived for PT0.2S");
    }
  }
}
