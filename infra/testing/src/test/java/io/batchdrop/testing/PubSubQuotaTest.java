package io.batchdrop.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import com.google.pubsub.v1.PubsubMessage;
import org.junit.jupiter.api.Test;

class PubSubQuotaTest {

  private static PubsubMessage.Builder message() {
    return PubsubMessage.newBuilder().setData(ByteString.copyFromUtf8("x"));
  }

  @Test
  void aMessageAtEveryLimitPasses() {
    PubsubMessage.Builder atLimits =
        message().putAttributes("k".repeat(256), "v".repeat(1024)).setOrderingKey("é".repeat(512));
    for (int i = 1; i < 100; i++) {
      atLimits.putAttributes("a" + i, "");
    }

    assertThat(PubSubQuota.problem(atLimits.build())).isEmpty();
    assertThat(PubSubQuota.problem(PubsubMessage.newBuilder().putAttributes("k", "").build()))
        .as("attributes without data")
        .isEmpty();
  }

  @Test
  void eachLimitTheEmulatorDoesNotEnforceIsNamed() {
    PubsubMessage.Builder manyAttributes = message();
    for (int i = 0; i < 101; i++) {
      manyAttributes.putAttributes("a" + i, "");
    }

    assertThat(
            PubSubQuota.problem(
                message().setData(ByteString.copyFrom(new byte[10_000_001])).build()))
        .hasValueSatisfying(problem -> assertThat(problem).contains("(the limit is 10 MB)"));
    assertThat(PubSubQuota.problem(manyAttributes.build()))
        .hasValue("101 attributes (the limit is 100)");
    assertThat(PubSubQuota.problem(message().putAttributes("k".repeat(257), "v").build()))
        .hasValueSatisfying(problem -> assertThat(problem).contains("257-byte key"));
    // 342 characters, 1,026 bytes: counted in UTF-8.
    assertThat(PubSubQuota.problem(message().putAttributes("key", "日".repeat(342)).build()))
        .hasValueSatisfying(problem -> assertThat(problem).contains("1026-byte value"));
    assertThat(PubSubQuota.problem(message().setOrderingKey("é".repeat(513)).build()))
        .hasValue("an ordering key of 1026 bytes (the limit is 1,024)");
    assertThat(PubSubQuota.problem(PubsubMessage.getDefaultInstance()))
        .hasValue("a message with neither data nor attributes");
  }
}
