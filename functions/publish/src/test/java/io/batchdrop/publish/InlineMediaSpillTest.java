package io.batchdrop.publish;

import static io.batchdrop.publish.PublishFixture.data;
import static io.batchdrop.publish.PublishFixture.keyed;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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

  private static final ObjectMapper JSON = new ObjectMapper();

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
    List<PubsubMessage> replayed = replaySucceeded(cloud, run);
    assertThat(byKey(replayed, "cat").getData()).isEqualTo(cat.getData());
    List<Blob> payloads = payloads(cloud, run);
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

  /** Past the config's smallest in-memory limit (1,024 bytes): the image row's answer spills. */
  private static final Map<String, String> SPILLING =
      Map.of(
          "BATCHDROP_SPILL_INLINE_MEDIA", "true", "BATCHDROP_MAX_RESPONSE_IN_MEMORY_BYTES", "1024");

  /** The echo model repeats the prompt, so this row's response is well past 1,024 bytes. */
  private static final String SPILLED_INPUT =
      keyed("cat", "draw a cat [vertex:image] " + "with a long tail, ".repeat(80))
          + keyed("plain", "say hello");

  @Test
  void aResponsePastTheInMemoryLimitGetsARewrittenPayloadWhoseImagePartNamesThePng(LocalCloud cloud)
      throws Exception {
    fx.configure(SPILLING);
    RunId run = fx.submit("images-spilled.jsonl", SPILLED_INPUT);
    fx.publishUntilClosed(run);

    List<PubsubMessage> results = fx.results(2);
    PubsubMessage cat = byKey(results, "cat");
    assertThat(data(cat).has("response")).isFalse();
    String payloadUri = data(cat).path("payload_uri").asText();
    assertThat(payloadUri)
        .startsWith("gs://" + LocalDeployment.WORK + "/runs/" + run.value() + "/payloads/")
        .endsWith("-media.json");
    String payload =
        new String(
            cloud.storage().get(LocalDeployment.WORK, objectName(payloadUri)).getContent(),
            java.nio.charset.StandardCharsets.UTF_8);
    assertThat(payload).doesNotContain("inlineData");
    JsonNode parts = JSON.readTree(payload).path("candidates").path(0).path("content");
    assertThat(parts.path("parts").path(0).path("text").asText()).startsWith("echo: draw a cat");
    JsonNode image = parts.path("parts").path(1).path("fileData");
    assertThat(image.path("mimeType").asText()).isEqualTo("image/png");
    String mediaUri = image.path("fileUri").asText();
    assertThat(mediaUri)
        .startsWith("gs://" + LocalDeployment.WORK + "/runs/" + run.value() + "/payloads/")
        .endsWith("-c0-p1.png");
    Blob media = cloud.storage().get(LocalDeployment.WORK, objectName(mediaUri));
    assertThat(media.getContentType()).isEqualTo("image/png");
    assertThat(ImageIO.read(new ByteArrayInputStream(media.getContent())))
        .as("the object decodes as the PNG the model made")
        .isNotNull();
    assertThat(cat.getAttributesOrThrow("status")).isEqualTo("succeeded");
    assertThat(data(cat).path("usage").path("candidates").asLong()).isPositive();

    // The text row beside it is held in memory and sent as it was.
    PubsubMessage plain = byKey(results, "plain");
    assertThat(data(plain).has("payload_uri")).isFalse();
    assertThat(firstText(plain)).isEqualTo("echo: say hello");

    // Left under payloads/: the rewritten response and its image; the spilled one was deleted.
    assertThat(payloadNames(cloud, run))
        .containsExactlyInAnyOrder(objectName(payloadUri), objectName(mediaUri));

    // What a redelivery sends (RunReplay): the same message, naming the rewritten payload.
    List<PubsubMessage> replayed = replaySucceeded(cloud, run);
    assertThat(byKey(replayed, "cat").getData()).isEqualTo(cat.getData());
    assertThat(byKey(replayed, "plain").getData()).isEqualTo(plain.getData());
  }

  @Test
  void aRedeliveryOfASpilledImageRowSendsTheSamePayloadUriAndLeavesTheSameObjects(LocalCloud cloud)
      throws Exception {
    fx.configure(SPILLING);
    RunId run = fx.submit("images-spilled-again.jsonl", SPILLED_INPUT);
    HandOffMessage handOff = fx.finishJobs(run).get(0);
    try (PublishFunction publish = new PublishFunction(fx.config())) {
      publish.accept(PublishFixture.event(handOff));
      PubsubMessage first = byKey(fx.results(2), "cat");
      List<String> written = payloadNames(cloud, run);
      Map<String, byte[]> contents = contents(cloud, written);

      // As if the first invocation crashed before its first checkpoint: the output read again.
      fx.jobs(run).get(0).getReference().update("publish", FieldValue.delete()).get();
      publish.accept(PublishFixture.event(handOff));

      PubsubMessage again = byKey(fx.results(2), "cat");
      assertThat(data(again).path("payload_uri").asText())
          .isEqualTo(data(first).path("payload_uri").asText())
          .endsWith("-media.json");
      assertThat(again.getData()).isEqualTo(first.getData());
      List<String> rewritten = payloadNames(cloud, run);
      assertThat(rewritten).containsExactlyInAnyOrderElementsOf(written).hasSize(2);
      Map<String, byte[]> after = contents(cloud, rewritten);
      for (String name : written) {
        assertThat(after.get(name)).as(name).isEqualTo(contents.get(name));
      }
    }
  }

  @Test
  void withTheSettingOffASpilledImageResponseKeepsItsInlineDataInItsPayload(LocalCloud cloud)
      throws Exception {
    fx.configure(Map.of("BATCHDROP_MAX_RESPONSE_IN_MEMORY_BYTES", "1024"));
    RunId run = fx.submit("images-spilled-inline.jsonl", SPILLED_INPUT);
    fx.publishUntilClosed(run);

    String payloadUri = data(byKey(fx.results(2), "cat")).path("payload_uri").asText();
    assertThat(payloadUri).endsWith(".json").doesNotEndWith("-media.json");
    assertInlinePng(
        firstCandidatePart(
            JSON.readTree(
                cloud.storage().get(LocalDeployment.WORK, objectName(payloadUri)).getContent()),
            1));
    assertThat(payloadNames(cloud, run)).containsExactly(objectName(payloadUri));
  }

  /**
   * The succeeded rows' messages a redelivery would send, as {@code batchdrop replay} builds them.
   */
  private List<PubsubMessage> replaySucceeded(LocalCloud cloud, RunId run) throws Exception {
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
    return replayed;
  }

  /** Every object under the run's {@code payloads/}. */
  private static List<Blob> payloads(LocalCloud cloud, RunId run) {
    List<Blob> payloads = new ArrayList<>();
    cloud
        .storage()
        .list(
            LocalDeployment.WORK,
            Storage.BlobListOption.prefix("runs/" + run.value() + "/payloads/"))
        .iterateAll()
        .forEach(payloads::add);
    return payloads;
  }

  private static List<String> payloadNames(LocalCloud cloud, RunId run) {
    return payloads(cloud, run).stream().map(Blob::getName).toList();
  }

  /** The text of the first part of the message's first candidate. */
  private static String firstText(PubsubMessage message) throws Exception {
    return firstCandidatePart(data(message).path("response"), 0).path("text").asText();
  }

  /** Part {@code part} of the response's first candidate. */
  private static JsonNode firstCandidatePart(JsonNode response, int part) {
    return response.path("candidates").path(0).path("content").path("parts").path(part);
  }

  /** The part holds the model's PNG inline, in base64, as Vertex wrote it. */
  private static void assertInlinePng(JsonNode part) throws Exception {
    JsonNode image = part.path("inlineData");
    assertThat(image.path("mimeType").asText()).isEqualTo("image/png");
    byte[] png = Base64.getDecoder().decode(image.path("data").asText());
    assertThat(ImageIO.read(new ByteArrayInputStream(png))).isNotNull();
  }

  private static Map<String, byte[]> contents(LocalCloud cloud, List<String> names) {
    Map<String, byte[]> contents = new java.util.HashMap<>();
    for (String name : names) {
      contents.put(name, cloud.storage().get(LocalDeployment.WORK, name).getContent());
    }
    return contents;
  }

  private static Blob onlyPayload(LocalCloud cloud, RunId run) {
    List<Blob> payloads = payloads(cloud, run);
    assertThat(payloads).as("one object under payloads/").hasSize(1);
    return cloud.storage().get(payloads.get(0).getBlobId());
  }

  @Test
  void withTheSettingOffTheImageStaysInlineAndNothingIsWrittenToPayloads(LocalCloud cloud)
      throws Exception {
    RunId run = fx.submit("images-inline.jsonl", INPUT);
    fx.publishUntilClosed(run);

    List<PubsubMessage> results = fx.results(2);
    assertInlinePng(firstCandidatePart(data(byKey(results, "cat")).path("response"), 1));
    assertThat(payloads(cloud, run)).isEmpty();
    assertThat(firstText(byKey(results, "plain"))).isEqualTo("echo: say hello");
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
