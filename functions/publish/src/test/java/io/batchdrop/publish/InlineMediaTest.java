package io.batchdrop.publish;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class InlineMediaTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Media objects in memory, by name; abandoned ones are kept apart. */
  private static final class MediaObjects implements InlineMedia.Target {
    final Map<URI, ByteArrayOutputStream> finished = new LinkedHashMap<>();
    final List<URI> abandoned = new ArrayList<>();
    final List<URI> discarded = new ArrayList<>();
    final List<String> mimeTypes = new ArrayList<>();

    @Override
    public SpillTarget.Spill openMedia(long lineOffset, int candidate, int part, String mimeType) {
      URI uri =
          URI.create(
              "gs://work/payloads/"
                  + lineOffset
                  + "-c"
                  + candidate
                  + "-p"
                  + part
                  + InlineMedia.extension(mimeType));
      mimeTypes.add(mimeType);
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      return new SpillTarget.Spill(
          uri,
          new OutputStream() {
            @Override
            public void write(int b) {
              bytes.write(b);
            }

            @Override
            public void write(byte[] b, int off, int len) {
              bytes.write(b, off, len);
            }

            @Override
            public void close() {
              finished.put(uri, bytes);
            }
          });
    }

    @Override
    public void abandon(SpillTarget.Spill spill) {
      abandoned.add(spill.uri());
    }

    @Override
    public void discard(URI uri) {
      finished.remove(uri);
      discarded.add(uri);
    }
  }

  private static PredictionRow row(String response) throws IOException {
    String line = Lines.succeeded(7, "k", response) + "\n";
    try (PredictionReader reader =
        new PredictionReader(
            new ByteArrayInputStream(line.getBytes(StandardCharsets.UTF_8)),
            4096,
            new MemorySpillTarget())) {
      return reader.next();
    }
  }

  private static JsonNode json(PredictionRow row) throws IOException {
    return JSON.readTree(row.response().toByteArray());
  }

  /** Part {@code part} of the first candidate's content. */
  private static JsonNode firstCandidatePart(PredictionRow row, int part) throws IOException {
    return json(row).path("candidates").path(0).path("content").path("parts").path(part);
  }

  private static String image(byte[] bytes) {
    return "{\"candidates\":[{\"content\":{\"role\":\"model\",\"parts\":[{\"text\":\"here\"},"
        + "{\"inlineData\":{\"mimeType\":\"image/png\",\"data\":\""
        + Base64.getEncoder().encodeToString(bytes)
        + "\"}}]},\"finishReason\":\"STOP\"}],"
        + "\"usageMetadata\":{\"promptTokenCount\":3,\"candidatesTokenCount\":1290}}";
  }

  @Test
  void anImagePartBecomesAFileDataReferenceAndItsObjectHoldsTheDecodedBytes() throws IOException {
    byte[] png = new byte[300_000];
    new Random(3).nextBytes(png);
    MediaObjects objects = new MediaObjects();

    PredictionRow rewritten = InlineMedia.rewrite(row(image(png)), objects);

    assertThat(firstCandidatePart(rewritten, 0).path("text").asText()).isEqualTo("here");
    JsonNode image = firstCandidatePart(rewritten, 1);
    assertThat(image.has("inlineData")).isFalse();
    assertThat(image.path("fileData").path("mimeType").asText()).isEqualTo("image/png");
    URI uri = URI.create(image.path("fileData").path("fileUri").asText());
    assertThat(uri.toString()).isEqualTo("gs://work/payloads/4096-c0-p1.png");
    assertThat(objects.finished.get(uri).toByteArray()).isEqualTo(png);
    assertThat(rewritten.response().length()).isLessThan(400);
    // The facts read from the original stay: usage, finish reason.
    assertThat(rewritten.response().finishReason()).isEqualTo("STOP");
    assertThat(rewritten.response().usage().candidates()).isEqualTo(1290);
    assertThat(json(rewritten).path("usageMetadata").path("promptTokenCount").asInt()).isEqualTo(3);
  }

  @Test
  void aRowReadAgainWritesTheSameObjectNamesAndTheSameMessage() throws IOException {
    byte[] png = {1, 2, 3, 4, 5};
    String response =
        "{\"candidates\":[{\"content\":{\"parts\":[{\"inlineData\":{\"data\":\""
            + Base64.getEncoder().encodeToString(png)
            + "\",\"mimeType\":\"image/jpeg\"}}]}},"
            + "{\"content\":{\"parts\":[{\"text\":\"a\"},{\"inline_data\":{\"mime_type\":\"image/png\","
            + "\"data\":\"AAEC\"}}]}}]}";
    MediaObjects first = new MediaObjects();
    MediaObjects again = new MediaObjects();

    PredictionRow once = InlineMedia.rewrite(row(response), first);
    PredictionRow twice = InlineMedia.rewrite(row(response), again);

    assertThat(again.finished.keySet())
        .containsExactlyElementsOf(first.finished.keySet())
        .containsExactly(
            URI.create("gs://work/payloads/4096-c0-p0.bin"),
            URI.create("gs://work/payloads/4096-c1-p1.png"));
    assertThat(twice.response().toByteArray()).isEqualTo(once.response().toByteArray());
    JsonNode second = json(once).path("candidates").path(1).path("content").path("parts").path(1);
    assertThat(second.path("file_data").path("file_uri").asText())
        .isEqualTo("gs://work/payloads/4096-c1-p1.png");
    assertThat(first.finished.get(URI.create("gs://work/payloads/4096-c1-p1.png")).toByteArray())
        .isEqualTo(new byte[] {0, 1, 2});
    // The data came before the media type: named .bin, the type still carried in the reference.
    assertThat(firstCandidatePart(once, 0).path("fileData").path("mimeType").asText())
        .isEqualTo("image/jpeg");
  }

  @Test
  void base64ThatDoesNotDecodeLeavesTheResponseAsVertexWroteItAndFinishesNoObject()
      throws IOException {
    String response =
        "{\"candidates\":[{\"content\":{\"parts\":[{\"inlineData\":{\"mimeType\":\"image/png\","
            + "\"data\":\"iVBORw0K*not base64*\"}}]},\"finishReason\":\"STOP\"}]}";
    PredictionRow original = row(response);
    MediaObjects objects = new MediaObjects();

    PredictionRow rewritten = InlineMedia.rewrite(original, objects);

    assertThat(rewritten).isSameAs(original);
    assertThat(new String(rewritten.response().toByteArray(), StandardCharsets.UTF_8))
        .isEqualTo(response);
    assertThat(objects.finished).isEmpty();
    // Tried in both alphabets, abandoned in both.
    assertThat(objects.abandoned)
        .containsExactly(
            URI.create("gs://work/payloads/4096-c0-p0.png"),
            URI.create("gs://work/payloads/4096-c0-p0.png"));
  }

  @Test
  void urlSafeBase64DecodesAsProtoJsonAcceptsIt() throws IOException {
    // 0xfb 0xff 0xbf encodes to "-_-_" in the URL-safe alphabet, "+/+/" in the standard one.
    byte[] bytes = {(byte) 0xfb, (byte) 0xff, (byte) 0xbf, 1, 2};
    String urlSafe = Base64.getUrlEncoder().encodeToString(bytes);
    assertThat(urlSafe).contains("-").contains("_");
    MediaObjects objects = new MediaObjects();

    PredictionRow rewritten =
        InlineMedia.rewrite(
            row(
                "{\"candidates\":[{\"content\":{\"parts\":[{\"inlineData\":{\"mimeType\":"
                    + "\"image/png\",\"data\":\""
                    + urlSafe
                    + "\"}}]}}]}"),
            objects);

    URI uri = URI.create("gs://work/payloads/4096-c0-p0.png");
    assertThat(objects.finished.get(uri).toByteArray()).isEqualTo(bytes);
    assertThat(firstCandidatePart(rewritten, 0).path("fileData").path("fileUri").asText())
        .isEqualTo(uri.toString());
  }

  @Test
  void aResponseMixingTheTwoAlphabetsStaysAsVertexWroteItAndLeavesNoObjectBehind()
      throws IOException {
    byte[] bytes = {(byte) 0xfb, (byte) 0xff, (byte) 0xbf};
    String response =
        "{\"candidates\":[{\"content\":{\"parts\":["
            + "{\"inlineData\":{\"mimeType\":\"image/png\",\"data\":\""
            + Base64.getEncoder().encodeToString(bytes)
            + "\"}},"
            + "{\"inlineData\":{\"mimeType\":\"image/png\",\"data\":\""
            + Base64.getUrlEncoder().encodeToString(bytes)
            + "\"}}]}}]}";
    PredictionRow original = row(response);
    MediaObjects objects = new MediaObjects();

    PredictionRow rewritten = InlineMedia.rewrite(original, objects);

    assertThat(rewritten).isSameAs(original);
    assertThat(objects.finished).isEmpty();
  }

  @Test
  void aBlobThatDoesNotDecodeAfterOneThatDidLeavesNoObjectBehind() throws IOException {
    String good = Base64.getEncoder().encodeToString(new byte[] {1, 2, 3, 4});
    String response =
        "{\"candidates\":[{\"content\":{\"parts\":["
            + "{\"inlineData\":{\"mimeType\":\"image/png\",\"data\":\""
            + good
            + "\"}},"
            + "{\"inlineData\":{\"mimeType\":\"image/png\",\"data\":\"*not base64*\"}}"
            + "]},\"finishReason\":\"STOP\"}]}";
    PredictionRow original = row(response);
    MediaObjects objects = new MediaObjects();

    PredictionRow rewritten = InlineMedia.rewrite(original, objects);

    // The row keeps both blobs inline, so the first one's object would be named by no message.
    assertThat(rewritten).isSameAs(original);
    // Once in each alphabet.
    assertThat(objects.discarded).containsOnly(URI.create("gs://work/payloads/4096-c0-p0.png"));
    assertThat(objects.abandoned).containsOnly(URI.create("gs://work/payloads/4096-c0-p1.png"));
    assertThat(objects.finished).isEmpty();
  }

  @Test
  void base64WithoutItsPaddingDecodesAsProtoJsonAcceptsIt() throws IOException {
    byte[] bytes = {9, 8, 7, 6};
    String unpadded = Base64.getEncoder().withoutPadding().encodeToString(bytes);
    MediaObjects objects = new MediaObjects();

    InlineMedia.rewrite(
        row(
            "{\"candidates\":[{\"content\":{\"parts\":[{\"inlineData\":{\"mimeType\":"
                + "\"audio/wav\",\"data\":\""
                + unpadded
                + "\"}}]}}]}"),
        objects);

    assertThat(objects.finished.get(URI.create("gs://work/payloads/4096-c0-p0.wav")).toByteArray())
        .isEqualTo(bytes);
  }

  @Test
  void responsesWithoutInlineDataAreNotParsedAgainNorChanged() throws IOException {
    String text =
        "{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"the inline data phrase\"}]}}]}";
    PredictionRow original = row(text);
    MediaObjects objects = new MediaObjects();

    assertThat(InlineMedia.mayHold(original.response())).isFalse();
    assertThat(InlineMedia.rewrite(original, objects)).isSameAs(original);
    assertThat(InlineMedia.rewrite(row("{}"), objects).response().toByteArray())
        .isEqualTo("{}".getBytes(StandardCharsets.UTF_8));
    assertThat(objects.mimeTypes).isEmpty();
  }

  @Test
  void theQuickLookFindsTheMarkerWhereverItIsAndNothingElse() throws IOException {
    Random random = new Random(11);
    String alphabet = "\"inlex_Da ";
    for (int i = 0; i < 2_000; i++) {
      StringBuilder text = new StringBuilder();
      int length = random.nextInt(40);
      for (int j = 0; j < length; j++) {
        text.append(alphabet.charAt(random.nextInt(alphabet.length())));
      }
      if (random.nextBoolean()) {
        text.insert(random.nextInt(text.length() + 1), "\"inline");
      }
      String escaped = text.toString().replace("\"", "\\\"");
      PredictionRow row = row("{\"t\":\"" + escaped + "\"}");
      String bytes = new String(row.response().toByteArray(), StandardCharsets.UTF_8);
      assertThat(InlineMedia.mayHold(row.response()))
          .as(bytes)
          .isEqualTo(bytes.contains("\"inline"));
    }
  }

  @Test
  void inlineDataOutsideTheCandidatesPartsIsLeftWhereItIs() throws IOException {
    String response =
        "{\"promptFeedback\":{\"inlineData\":{\"mimeType\":\"image/png\",\"data\":\"AAEC\"}},"
            + "\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"\\\"inline\"}]}}]}";
    PredictionRow original = row(response);
    MediaObjects objects = new MediaObjects();

    assertThat(InlineMedia.rewrite(original, objects)).isSameAs(original);
    assertThat(objects.mimeTypes).isEmpty();
  }
}
