package io.batchdrop.publish;

import static io.batchdrop.publish.PublishFixture.data;
import static io.batchdrop.publish.PublishFixture.keyed;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.cloud.firestore.FieldValue;
import com.google.cloud.storage.Blob;
import com.google.cloud.storage.Storage;
import com.google.pubsub.v1.PubsubMessage;
import io.batchdrop.cloud.jobs.HandOffMessage;
import io.batchdrop.cloud.results.PubSubLimits;
import io.batchdrop.cloud.results.RowStatus;
import io.batchdrop.cloud.run.RunId;
import io.batchdrop.testing.Fixture;
import io.batchdrop.testing.LocalCloud;
import io.batchdrop.testing.LocalCloudTest;
import io.batchdrop.testing.LocalDeployment;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/**
 * {@code BATCHDROP_SPILL_INLINE_MEDIA} on the local cloud: the Vertex emulator's image answer
 * ({@code [vertex:image]}: a real PNG as base64 {@code inlineData}) published with it on and off.
 */
@LocalCloudTest
class InlineMediaSpillTest {
  @Fixture private PublishFixture fx;

  private static final String INPUT =
      keyed("cat", "draw a cat [vertex:image]") + keyed("plain", "say hello");

  @Test
  void withTheSettingOnAnImageRowCarriesAGsReferenceAndItsObjectHoldsThePng(LocalCloud cloud)
      throws Exception {
    fx.configure(Map.of("BATCHDROP_SPILL_INLINE_MEDIA", "true"));
    RunId run = fx.submit("images.jsonl", INPUT);
    fx.publishUntilClosed(run);

    PubsubMessage cat = byKey(fx.results(2), "cat");
    JsonNode parts = data(cat).path("response").path("candidates").path(0).path("content");
    JsonNode image = parts.path("parts").path(1);
    assertThat(image.has("inlineData")).isFalse();
    assertThat(image.path("fileData").path("mimeType").asText()).isEqualTo("image/png");
    String uri = image.path("fileData").path("fileUri").asText();
    assertThat(uri)
        .startsWith("gs://" + LocalDeployment.WORK + "/runs/" + run.value() + "/payloads/")
        .endsWith("-c0-p1.png");
    Blob object = cloud.storage().get(LocalDeployment.WORK, objectName(uri));
    assertThat(object.getContentType()).isEqualTo("image/png");
    BufferedImage png = ImageIO.read(new ByteArrayInputStream(object.getContent()));
    assertThat(png).as("the object decodes as the PNG the model made").isNotNull();
    assertThat(png.getWidth()).isPositive();
    assertThat(cat.getSerializedSize()).isLessThan(PubSubLimits.MAX_RESULT_DATA_BYTES);
    assertThat(data(cat).has("payload_uri")).isFalse();
    assertThat(data(cat).path("usage").path("candidates").asLong()).isPositive();
    assertThat(cat.getAttributesOrThrow("status")).isEqualTo("succeeded");
    assertThat(fx.run(run).getLong("counts.succeeded")).isEqualTo(2);

    // What a redelivery sends (RunReplay builds it with publish's code from the output): the same
    // message naming the same object, and nothing written: still one object under payloads/.
    List<PubsubMessage> replayed = new ArrayList<>();
    new RunReplay(cloud.storage(), fx.config(), Clock.systemUTC())
        .replay(
            fx.run(run),
            new ArrayList<>(fx.jobs(run)),
            (row, status, message) -> {
              if (status == RowStatus.SUCCEEDED) {
                replayed.add(message);
              }
            });
    assertThat(byKey(replayed, "cat").getData()).isEqualTo(cat.getData());
    List<Blob> payloads = new ArrayList<>();
    cloud
        .storage()
        .list(
            LocalDeployment.WORK,
            Storage.BlobListOption.prefix("runs/" + run.value() + "/payloads/"))
        .iterateAll()
        .forEach(payloads::add);
    assertThat(payloads).extracting(Blob::getName).containsExactly(objectName(uri));
    assertThat(payloads.get(0).getGeneration()).isEqualTo(object.getGeneration());
  }

  @Test
  void aRedeliveryThatReadsTheOutputAgainRewritesTheSameObjectAndSendsTheSameMessage(
      LocalCloud cloud) throws Exception {
    fx.configure(Map.of("BATCHDROP_SPILL_INLINE_MEDIA", "true"));
    RunId run = fx.submit("images-again.jsonl", INPUT);
    HandOffMessage handOff = fx.finishJobs(run).get(0);
    try (PublishFunction publish = new PublishFunction(fx.config())) {
      publish.accept(PublishFixture.event(handOff));
      PubsubMessage first = byKey(fx.results(2), "cat");
      Blob written = onlyPayload(cloud, run);
      byte[] image = written.getContent();

      // As if the first invocation crashed before its first checkpoint: no progress recorded, so
      // the redelivery reads the output from its first byte again.
      fx.jobs(run).get(0).getReference().update("publish", FieldValue.delete()).get();
      publish.accept(PublishFixture.event(handOff));

      PubsubMessage again = byKey(fx.results(2), "cat");
      assertThat(again.getData()).isEqualTo(first.getData());
      assertThat(again.getAttributesOrThrow("dedup_id"))
          .isEqualTo(first.getAttributesOrThrow("dedup_id"));
      Blob rewritten = onlyPayload(cloud, run);
      assertThat(rewritten.getName()).isEqualTo(written.getName());
      assertThat(rewritten.getGeneration()).isNotEqualTo(written.getGeneration());
      assertThat(rewritten.getContent()).isEqualTo(image);
    }
  }

  private static Blob onlyPayload(LocalCloud cloud, RunId run) {
    List<Blob> payloads = new ArrayList<>();
    cloud
        .storage()
        .list(
            LocalDeployment.WORK,
            Storage.BlobListOption.prefix("runs/" + run.value() + "/payloads/"))
        .iterateAll()
        .forEach(payloads::add);
    assertThat(payloads).as("one object under payloads/").hasSize(1);
    return cloud.storage().get(payloads.get(0).getBlobId());
  }

  @Test
  void withTheSettingOffTheImageStaysInlineAndNothingIsWrittenToPayloads(LocalCloud cloud)
      throws Exception {
    RunId run = fx.submit("images-inline.jsonl", INPUT);
    fx.publishUntilClosed(run);

    List<PubsubMessage> results = fx.results(2);
    JsonNode image =
        data(byKey(results, "cat"))
            .path("response")
            .path("candidates")
            .path(0)
            .path("content")
            .path("parts")
            .path(1)
            .path("inlineData");
    assertThat(image.path("mimeType").asText()).isEqualTo("image/png");
    byte[] png = Base64.getDecoder().decode(image.path("data").asText());
    assertThat(ImageIO.read(new ByteArrayInputStream(png))).isNotNull();
    assertThat(
            cloud
                .storage()
                .list(
                    LocalDeployment.WORK,
                    Storage.BlobListOption.prefix("runs/" + run.value() + "/payloads/"))
                .iterateAll())
        .isEmpty();
    assertThat(
            data(byKey(results, "plain"))
                .path("response")
                .path("candidates")
                .path(0)
                .path("content")
                .path("parts")
                .path(0)
                .path("text")
                .asText())
        .isEqualTo("echo: say hello");
  }

  private static String objectName(String uri) {
    return uri.substring(("gs://" + LocalDeployment.WORK + "/").length());
  }

  private static PubsubMessage byKey(List<PubsubMessage> results, String key) {
    return results.stream()
        .filter(m -> m.getAttributesOrThrow("key").equals(key))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no result keyed " + key + " in " + results));
  }
}
