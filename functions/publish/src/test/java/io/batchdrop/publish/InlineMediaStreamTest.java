package io.batchdrop.publish;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.cloud.storage.Blob;
import com.google.cloud.storage.Storage;
import io.batchdrop.cloud.run.JobId;
import io.batchdrop.cloud.run.RunId;
import io.batchdrop.cloud.run.WorkLayout;
import io.batchdrop.testing.Fixture;
import io.batchdrop.testing.LocalCloud;
import io.batchdrop.testing.LocalCloudTest;
import io.batchdrop.testing.LocalDeployment;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The streamed rewrite of a response spilled past the in-memory limit ({@link
 * InlineMedia#rewriteSpilled}) against the storage emulator, where it reads and writes.
 */
@LocalCloudTest
class InlineMediaStreamTest {
  @Fixture private PublishFixture fx;

  private static final int IN_MEMORY_LIMIT = 1024;

  /** A text part long enough that the response is spilled. */
  private static final String LONG_TEXT = "a cat, drawn ".repeat(200);

  private static PredictionRow spilledRow(String response, GcsSpillTarget target)
      throws IOException {
    String line = Lines.succeeded(7, "k", response) + "\n";
    try (PredictionReader reader =
        new PredictionReader(
            new ByteArrayInputStream(line.getBytes(StandardCharsets.UTF_8)),
            4096,
            target,
            IN_MEMORY_LIMIT)) {
      PredictionRow row = reader.next();
      assertThat(row.response().inMemory()).as("the response was spilled").isFalse();
      return row;
    }
  }

  /**
   * A response whose first candidate says {@code text}, then shows a PNG of base64 {@code data}.
   */
  private static String textAndImage(String text, String data) {
    return "{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\""
        + text
        + "\"},{\"inlineData\":{\"mimeType\":\"image/png\",\"data\":\""
        + data
        + "\"}}]},\"finishReason\":\"STOP\"}]}";
  }

  private static final WorkLayout LAYOUT = new WorkLayout(LocalDeployment.WORK);

  private static GcsSpillTarget target(LocalCloud cloud, String run) {
    return new GcsSpillTarget(cloud.storage(), LAYOUT, job(run), 0);
  }

  private static JobId job(String run) {
    return new JobId(new RunId(run), 1, 1);
  }

  /** The name the line's spill is written under. */
  private static String spilled(String run) {
    return LAYOUT.payloadObject(job(run), 0, 4096);
  }

  private static List<String> payloads(LocalCloud cloud, String run) {
    List<String> names = new ArrayList<>();
    cloud
        .storage()
        .list(LocalDeployment.WORK, Storage.BlobListOption.prefix("runs/" + run + "/payloads/"))
        .iterateAll()
        .forEach(blob -> names.add(blob.getName()));
    return names;
  }

  private static String text(LocalCloud cloud, String name) {
    Blob blob = cloud.storage().get(LocalDeployment.WORK, name);
    return new String(blob.getContent(), StandardCharsets.UTF_8);
  }

  /**
   * Nothing was rewritten: the row as read, and the spilled object holding the response as written,
   * alone under payloads/ (no rewritten response, no media object left).
   */
  private static void assertLeftAsSpilled(
      LocalCloud cloud,
      String run,
      PredictionRow original,
      PredictionRow rewritten,
      String response) {
    assertThat(rewritten).isSameAs(original);
    assertThat(payloads(cloud, run))
        .as("the spilled object alone: no rewritten response, no media object")
        .containsExactly(spilled(run));
    assertThat(text(cloud, spilled(run))).isEqualTo(response);
  }

  @Test
  void aBlobLongerThanAnyStringTheReaderHoldsIsMovedAndTheRewriteReplacesTheSpilledObject(
      LocalCloud cloud) throws IOException {
    String run = "0123456789abcdef0004";
    byte[] blob = new byte[3 * PublishJson.MAX_READ_STRING];
    new java.util.Random(5).nextBytes(blob);
    String response = textAndImage("here", java.util.Base64.getEncoder().encodeToString(blob));
    GcsSpillTarget target = target(cloud, run);
    PredictionRow original = spilledRow(response, target);

    PredictionRow rewritten = InlineMedia.rewriteSpilled(original, target);

    String rewrittenName = LAYOUT.rewrittenPayloadObject(job(run), 0, 4096);
    String mediaName = LAYOUT.mediaObject(job(run), 0, 4096, 0, 1, ".png");
    assertThat(rewritten.response().spillUri().toString()).isEqualTo(LAYOUT.uri(rewrittenName));
    assertThat(rewritten.response().finishReason()).isEqualTo("STOP");
    assertThat(payloads(cloud, run))
        .as("the spilled object deleted once its rewrite was finished")
        .containsExactlyInAnyOrder(rewrittenName, mediaName);
    assertThat(text(cloud, rewrittenName))
        .isEqualTo(
            "{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"here\"},{\"fileData\":"
                + "{\"mimeType\":\"image/png\",\"fileUri\":\""
                + LAYOUT.uri(mediaName)
                + "\"}}]},\"finishReason\":\"STOP\"}]}");
    assertThat(rewritten.response().length()).isEqualTo(text(cloud, rewrittenName).length());
    assertThat(cloud.storage().get(LocalDeployment.WORK, mediaName).getContent()).isEqualTo(blob);
  }

  @Test
  void urlSafeBase64InASpilledResponseIsMovedLikeStandardBase64(LocalCloud cloud)
      throws IOException {
    String run = "0123456789abcdef0006";
    byte[] blob = new byte[4096];
    new java.util.Random(6).nextBytes(blob);
    String urlSafe = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(blob);
    assertThat(urlSafe).containsAnyOf("-", "_");
    String response = textAndImage(LONG_TEXT, urlSafe);
    GcsSpillTarget target = target(cloud, run);
    PredictionRow original = spilledRow(response, target);

    PredictionRow rewritten = InlineMedia.rewriteSpilled(original, target);

    String rewrittenName = LAYOUT.rewrittenPayloadObject(job(run), 0, 4096);
    String mediaName = LAYOUT.mediaObject(job(run), 0, 4096, 0, 1, ".png");
    assertThat(rewritten.response().spillUri().toString()).isEqualTo(LAYOUT.uri(rewrittenName));
    assertThat(payloads(cloud, run)).containsExactlyInAnyOrder(rewrittenName, mediaName);
    assertThat(cloud.storage().get(LocalDeployment.WORK, mediaName).getContent()).isEqualTo(blob);
  }

  @Test
  void base64ThatDoesNotDecodeInASpilledResponseKeepsItsPayloadAndFinishesNoRewrittenObject(
      LocalCloud cloud) throws IOException {
    String run = "0123456789abcdef0001";
    String response = textAndImage(LONG_TEXT, "iVBORw0K*not base64*");
    GcsSpillTarget target = target(cloud, run);
    PredictionRow original = spilledRow(response, target);

    PredictionRow rewritten = InlineMedia.rewriteSpilled(original, target);

    assertLeftAsSpilled(cloud, run, original, rewritten, response);
    assertThat(rewritten.response().spillUri().toString()).isEqualTo(LAYOUT.uri(spilled(run)));
  }

  @Test
  void aBlobThatDoesNotDecodeAfterOneThatDidLeavesOnlyTheSpilledObject(LocalCloud cloud)
      throws IOException {
    String run = "0123456789abcdef0005";
    String response =
        "{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\""
            + LONG_TEXT
            + "\"},{\"inlineData\":{\"mimeType\":\"image/png\",\"data\":\"AQIDBA==\"}},"
            + "{\"inlineData\":{\"mimeType\":\"image/png\",\"data\":\"*not base64*\"}}]},"
            + "\"finishReason\":\"STOP\"}]}";
    GcsSpillTarget target = target(cloud, run);
    PredictionRow original = spilledRow(response, target);

    PredictionRow rewritten = InlineMedia.rewriteSpilled(original, target);

    // The row keeps its inline data, so the first blob's object, finished before the second
    // failed, would be named by no message: it is deleted again.
    assertLeftAsSpilled(cloud, run, original, rewritten, response);
  }

  @Test
  void aSpilledResponseCutShortKeepsItsPayloadAndFinishesNoRewrittenObject(LocalCloud cloud)
      throws IOException {
    String run = "0123456789abcdef0002";
    GcsSpillTarget target = target(cloud, run);
    PredictionRow original =
        spilledRow(
            "{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"" + LONG_TEXT + "\"}]}}]}",
            target);
    // The object cut in the middle of an inline blob, as a write that broke off would leave it.
    cloud
        .storage()
        .create(
            com.google.cloud.storage.BlobInfo.newBuilder(LocalDeployment.WORK, spilled(run))
                .build(),
            ("{\"candidates\":[{\"content\":{\"parts\":[{\"inlineData\":{\"mimeType\":"
                    + "\"image/png\",\"data\":\"AAEC")
                .getBytes(StandardCharsets.UTF_8));

    assertThat(InlineMedia.rewriteSpilled(original, target)).isSameAs(original);
    assertThat(payloads(cloud, run)).containsExactly(spilled(run));
  }

  @Test
  void aSpilledResponseWithoutInlineMediaKeepsItsPayloadAndWritesNothingNew(LocalCloud cloud)
      throws IOException {
    String run = "0123456789abcdef0003";
    String response =
        "{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\""
            + LONG_TEXT
            + " \\\"inlineData\\\"\"}]}}]}";
    GcsSpillTarget target = target(cloud, run);
    PredictionRow original = spilledRow(response, target);

    assertLeftAsSpilled(
        cloud, run, original, InlineMedia.rewriteSpilled(original, target), response);
  }
}
