package io.batchdrop.cloud.results;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.google.protobuf.ByteString;
import com.google.pubsub.v1.PubsubMessage;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class PubSubLimitsTest {
  private static int bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8).length;
  }

  @Test
  void aValueWithinTheLimitIsKeptWhole() {
    assertThat(PubSubLimits.cut("row-1", 1024)).isEqualTo("row-1");
    String exactly = "é".repeat(512); // 1,024 bytes
    assertThat(PubSubLimits.cut(exactly, 1024)).isEqualTo(exactly);
  }

  @Test
  void aLongValueIsCutByBytesNeverInsideACharacter() {
    String emoji = "😀".repeat(300); // 4 bytes each: 1,200 bytes
    String cut = PubSubLimits.cut(emoji, 1024);

    assertThat(bytes(cut)).isEqualTo(1024);
    assertThat(cut).isEqualTo("😀".repeat(256));
    assertThat(bytes(PubSubLimits.cut("a" + emoji, 1024))).isEqualTo(1021);
  }

  @Test
  void aResultWithAKeyOverTheAttributeLimitKeepsTheWholeKeyInItsData() throws Exception {
    String key = "k".repeat(5000);
    PubsubMessage message =
        new RowResult(
                "r",
                7,
                key,
                RowStatus.INVALID,
                0,
                "m",
                null,
                null,
                "gs://in/f",
                Instant.EPOCH,
                null,
                JsonNodeFactory.instance.objectNode().put("code", "invalid"),
                null)
            .toMessage();

    assertThat(PubSubLimits.problem(message)).isEmpty();
    assertThat(bytes(message.getAttributesOrThrow("key"))).isEqualTo(1024);
    assertThat(message.getData().toStringUtf8()).contains(key);
  }

  @Test
  void eachLimitThePlatformEnforcesIsNamed() {
    PubsubMessage bigValue =
        PubsubMessage.newBuilder().putAttributes("key", "x".repeat(1025)).build();
    PubsubMessage bigKey = PubsubMessage.newBuilder().putAttributes("k".repeat(257), "v").build();
    PubsubMessage bigData =
        PubsubMessage.newBuilder().setData(ByteString.copyFrom(new byte[10_000_001])).build();

    assertThat(PubSubLimits.problem(bigValue))
        .hasValueSatisfying(p -> assertThat(p).contains("1025 bytes"));
    assertThat(PubSubLimits.problem(bigKey)).hasValueSatisfying(p -> assertThat(p).contains("key"));
    assertThat(PubSubLimits.problem(bigData))
        .hasValueSatisfying(p -> assertThat(p).contains("10000000"));
  }

  @Test
  void aMessageWhoseAttributesTakeItPastTheSizeLimitIsRefusedAndOneJustWithinIsNot() {
    String value = "é".repeat(500); // 1,000 bytes of UTF-8, within the value limit
    PubsubMessage.Builder over = PubsubMessage.newBuilder();
    PubsubMessage.Builder within = PubsubMessage.newBuilder();
    for (int i = 0; i < 10; i++) {
      over.putAttributes("attribute-" + i, value);
      within.putAttributes("attribute-" + i, value);
    }
    // 10 attributes of ~1,020 bytes each: ~10,200 bytes beside the data.
    over.setData(ByteString.copyFrom(new byte[PubSubLimits.MAX_MESSAGE_BYTES - 10_000]));
    within.setData(ByteString.copyFrom(new byte[PubSubLimits.MAX_MESSAGE_BYTES - 10_500]));

    assertThat(PubSubLimits.problem(over.build()))
        .hasValueSatisfying(p -> assertThat(p).contains("accepts at most 10000000"));
    assertThat(PubSubLimits.problem(within.build())).isEmpty();
  }
}
