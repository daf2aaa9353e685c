package io.batchdrop.emulator.gemini;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.genai.errors.ApiException;
import com.google.genai.types.File;
import com.google.genai.types.FileState;
import com.google.genai.types.UploadFileConfig;
import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The Files API's resumable upload, as the official SDK drives it and as the wire allows. */
class FileUploadTest {

  private static final int EIGHT_MIB = 8 * 1024 * 1024;
  private static final UploadFileConfig JSONL =
      UploadFileConfig.builder().mimeType("application/jsonl").displayName("shard").build();

  @RegisterExtension static final FreshGemini GEMINI = new FreshGemini();

  private final LocalGemini local = GEMINI.local();

  @Test
  void eightMebibytesAndOneByteArriveWholeInTwoChunks() throws Exception {
    byte[] content = pattern(EIGHT_MIB + 1);

    File file = local.client.files.upload(new ByteArrayInputStream(content), content.length, JSONL);

    assertThat(file.name().orElseThrow()).matches("files/[a-z0-9]{12}");
    assertThat(file.sizeBytes()).contains((long) EIGHT_MIB + 1);
    assertThat(file.mimeType()).contains("application/jsonl");
    assertThat(file.displayName()).contains("shard");
    assertThat(file.state().orElseThrow().knownEnum()).isEqualTo(FileState.Known.ACTIVE);
    assertThat(file.sha256Hash())
        .contains(
            Base64.getEncoder()
                .encodeToString(MessageDigest.getInstance("SHA-256").digest(content)));
    assertThat(file.expirationTime().orElseThrow())
        .isEqualTo(file.createTime().orElseThrow().plus(Duration.ofHours(48)));
    assertThat(local.download(file.name().orElseThrow())).isEqualTo(content);
  }

  @Test
  void exactlyEightMebibytesBreakTheSdksChunkLoopBeforeFinalizing() {
    byte[] content = pattern(EIGHT_MIB);

    // The SDK reads -1 after the last full chunk and copies a range ending at -1.
    assertThatThrownBy(
            () ->
                local.client.files.upload(new ByteArrayInputStream(content), content.length, JSONL))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(local.client.files.list(null)).isEmpty();
  }

  @Test
  void exactlyEightMebibytesUploadWhenTheStreamAnswersZeroAtItsEnd() {
    byte[] content = pattern(EIGHT_MIB);

    File file = local.client.files.upload(new ZeroAtEnd(content), content.length, JSONL);

    assertThat(file.sizeBytes()).contains((long) EIGHT_MIB);
    assertThat(local.download(file.name().orElseThrow())).isEqualTo(content);
  }

  @Test
  void aShortReadIsRefusedInsteadOfFinalizingATruncatedFile() {
    byte[] content = pattern(100_000);
    InputStream trickle =
        new FilterInputStream(new ByteArrayInputStream(content)) {
          @Override
          public int read(byte[] buffer, int offset, int length) throws java.io.IOException {
            return super.read(buffer, offset, Math.min(length, 1000));
          }
        };

    // The SDK finalizes after the first short read; the emulator refuses the early finalize, and
    // the SDK, finding no X-Goog-Upload-Status on the answer, gives up after its own retries.
    assertThatThrownBy(() -> local.client.files.upload(trickle, content.length, JSONL))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("Upload failed");
    assertThat(local.client.files.list(null)).isEmpty();
  }

  @Test
  void aFileOverTheSizeLimitIsRefusedAtStart() throws Exception {
    try (LocalGemini small =
        LocalGemini.start(GeminiEmulatorConfig.immediate(LocalGemini.KEY).withMaxFileBytes(1000))) {
      assertThatThrownBy(() -> small.client.files.upload(pattern(1001), JSONL))
          .isInstanceOfSatisfying(
              ApiException.class,
              e -> {
                assertThat(e.code()).isEqualTo(400);
                assertThat(e.message()).contains("exceeds the maximum of 1000");
              });
    }
  }

  @Test
  void aChunkAtTheWrongOffsetOrOffTheGranularityIsRefused() {
    String url = startRaw(600_000);

    HttpResponse<String> offGrid = chunk(url, "upload", 0, new byte[1000]);
    HttpResponse<String> gap = chunk(url, "upload", 5, new byte[262_144]);
    HttpResponse<String> first = chunk(url, "upload", 0, new byte[262_144]);
    HttpResponse<String> query = chunk(url, "query", 0, new byte[0]);

    assertThat(offGrid.statusCode()).isEqualTo(400);
    assertThat(offGrid.body()).contains("multiple of 262144");
    assertThat(gap.statusCode()).isEqualTo(400);
    assertThat(gap.body()).contains("expected the next chunk at 0");
    assertThat(first.statusCode()).isEqualTo(200);
    assertThat(first.headers().firstValue("X-Goog-Upload-Status")).contains("active");
    assertThat(query.headers().firstValue("X-Goog-Upload-Size-Received")).contains("262144");
  }

  @Test
  void finalizingBeforeTheAnnouncedSizeSaysHowManyBytesArrived() {
    String url = startRaw(300_000);

    HttpResponse<String> early = chunk(url, "upload, finalize", 0, new byte[1000]);

    assertThat(early.statusCode()).isEqualTo(400);
    assertThat(LocalGemini.parse(early.body()).at("/error/message").asText())
        .isEqualTo(
            "The upload was finalized after 1000 bytes; X-Goog-Upload-Header-Content-Length"
                + " announced 300000.");
  }

  @Test
  void aRawUploadCanFinalizeWithAnEmptyLastChunk() {
    String url = startRaw(262_144);

    chunk(url, "upload", 0, new byte[262_144]);
    HttpResponse<String> last = chunk(url, "upload, finalize", 262_144, new byte[0]);

    assertThat(last.statusCode()).isEqualTo(200);
    assertThat(last.headers().firstValue("X-Goog-Upload-Status")).contains("final");
    assertThat(LocalGemini.parse(last.body()).at("/file/sizeBytes").asText()).isEqualTo("262144");
  }

  @Test
  void anUnknownFileIsRefusedWith403AsTheRealFilesApiAnswersIt() {
    // Not 404: "You do not have permission to access the File … or it may not exist."
    assertThatThrownBy(() -> local.client.files.get("files/nosuchfile12", null))
        .isInstanceOfSatisfying(
            ApiException.class,
            e -> {
              assertThat(e.code()).isEqualTo(403);
              assertThat(e.getMessage()).contains("or it may not exist");
            });
  }

  @Test
  void theDownloadOfAnUnknownFileIsRefusedWith403Too() {
    HttpResponse<String> answer =
        local.raw("GET", "/download/v1beta/files/nosuchfile12:download?alt=media", LocalGemini.KEY);

    assertThat(answer.statusCode()).isEqualTo(403);
    assertThat(answer.body()).contains("PERMISSION_DENIED");
  }

  @Test
  void aRangeOfAFileIsServedWith206() throws Exception {
    byte[] content = pattern(1000);
    File file = local.client.files.upload(content, JSONL);
    String id = file.name().orElseThrow().substring("files/".length());

    HttpResponse<String> range =
        local.send(
            HttpRequest.newBuilder(
                    URI.create(
                        local.emulator.baseUri()
                            + "/download/v1beta/files/"
                            + id
                            + ":download?alt=media"))
                .header("x-goog-api-key", LocalGemini.KEY)
                .header("Range", "bytes=10-19")
                .build());

    assertThat(range.statusCode()).isEqualTo(206);
    assertThat(range.headers().firstValue("Content-Range")).contains("bytes 10-19/1000");
    assertThat(range.body()).isEqualTo(new String(content, 10, 10, "US-ASCII"));
  }

  private String startRaw(long size) {
    HttpResponse<String> start =
        local.send(
            HttpRequest.newBuilder(URI.create(local.emulator.baseUri() + "/upload/v1beta/files"))
                .header("x-goog-api-key", LocalGemini.KEY)
                .header("X-Goog-Upload-Protocol", "resumable")
                .header("X-Goog-Upload-Command", "start")
                .header("X-Goog-Upload-Header-Content-Length", Long.toString(size))
                .header("X-Goog-Upload-Header-Content-Type", "application/jsonl")
                .POST(HttpRequest.BodyPublishers.ofString("{\"file\":{\"displayName\":\"raw\"}}"))
                .build());
    assertThat(start.statusCode()).isEqualTo(200);
    return start.headers().firstValue("X-Goog-Upload-URL").orElseThrow();
  }

  private HttpResponse<String> chunk(String url, String command, long offset, byte[] body) {
    return local.send(
        HttpRequest.newBuilder(URI.create(url))
            .header("X-Goog-Upload-Command", command)
            .header("X-Goog-Upload-Offset", Long.toString(offset))
            .POST(HttpRequest.BodyPublishers.ofByteArray(body))
            .build());
  }

  /** Printable bytes, so a range can be compared as text. */
  private static byte[] pattern(int size) {
    byte[] bytes = new byte[size];
    for (int i = 0; i < size; i++) {
      bytes[i] = (byte) ('a' + i % 26);
    }
    return bytes;
  }

  /**
   * Answers 0 instead of -1 once drained, so the SDK's loop ends with an empty final chunk: the way
   * to upload an exact multiple of its 8 MiB chunk.
   */
  private static final class ZeroAtEnd extends InputStream {
    private final ByteArrayInputStream in;

    ZeroAtEnd(byte[] content) {
      this.in = new ByteArrayInputStream(content);
    }

    @Override
    public int read() {
      return in.read();
    }

    @Override
    public int read(byte[] buffer, int offset, int length) {
      int read = in.readNBytes(buffer, offset, length);
      return read;
    }
  }
}
