package io.batchdrop.publish;

import static io.batchdrop.publish.PublishFixture.data;
import static io.batchdrop.publish.PublishFixture.keyed;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.cloud.firestore.DocumentSnapshot;
import com.google.pubsub.v1.PubsubMessage;
import io.batchdrop.cloud.run.RunId;
import io.batchdrop.testing.Fixture;
import io.batchdrop.testing.LocalCloudTest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A deployment may lower {@code BATCHDROP_MAX_LINE_BYTES} while a run is in flight: the lines it
 * staged under the old limit are still its own, and each row still gets its one outcome.
 */
@LocalCloudTest
class PublishLoweredLineLimitTest {
  /** Over the lowered limit plus what staging may add to a line (64 KiB). */
  private static final String LONG_PROMPT = "x".repeat(80_000);

  @Fixture private PublishFixture fx;

  @Test
  void aLongRowStagedBeforeTheLimitWasLoweredIsPublishedBesideARowThatIsRetried() throws Exception {
    fx.configure(Map.of("BATCHDROP_MAX_ATTEMPTS", "2"));
    RunId run =
        fx.submit(
            "long-kept.jsonl", keyed("long", LONG_PROMPT) + keyed("gone", "[vertex:missing] lost"));
    fx.configure(Map.of("BATCHDROP_MAX_LINE_BYTES", "1024"));

    fx.publishUntilClosed(run);

    List<PubsubMessage> results = fx.results(2);
    assertThat(fx.moreResults()).isEmpty();
    assertThat(byKey(results, "long").getAttributesOrThrow("status")).isEqualTo("succeeded");
    assertThat(byKey(results, "gone").getAttributesOrThrow("status")).isEqualTo("missing");
    assertThat(byKey(results, "gone").getAttributesOrThrow("attempt")).isEqualTo("2");
    DocumentSnapshot closed = fx.run(run);
    assertThat(closed.getBoolean("closed")).isTrue();
    assertThat(closed.getLong("counts.succeeded")).isEqualTo(1);
    assertThat(closed.getLong("counts.missing")).isEqualTo(1);
    assertThat(closed.getString("problem")).isNull();
  }

  @Test
  void aLongRowStagedBeforeTheLimitWasLoweredIsRetriedAndEndsWithOneOutcome() throws Exception {
    fx.configure(Map.of("BATCHDROP_MAX_ATTEMPTS", "2"));
    RunId run =
        fx.submit(
            "long-gone.jsonl",
            keyed("long", "[vertex:missing] " + LONG_PROMPT) + keyed("short", "fine"));
    fx.configure(Map.of("BATCHDROP_MAX_LINE_BYTES", "1024"));

    fx.publishUntilClosed(run);

    List<PubsubMessage> results = fx.results(2);
    assertThat(fx.moreResults()).isEmpty();
    PubsubMessage missing = byKey(results, "long");
    assertThat(missing.getAttributesOrThrow("status")).isEqualTo("missing");
    assertThat(missing.getAttributesOrThrow("attempt")).isEqualTo("2");
    assertThat(data(missing).path("error").path("code").asText()).isEqualTo("missing");
    assertThat(byKey(results, "short").getAttributesOrThrow("status")).isEqualTo("succeeded");
    DocumentSnapshot closed = fx.run(run);
    assertThat(closed.getLong("counts.succeeded")).isEqualTo(1);
    assertThat(closed.getLong("counts.missing")).isEqualTo(1);
  }

  private static PubsubMessage byKey(List<PubsubMessage> results, String key) {
    return results.stream()
        .filter(m -> m.getAttributesOrThrow("key").equals(key))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no result for key " + key));
  }
}
