package io.batchdrop.cloud.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.batchdrop.cloud.config.BatchdropConfig.Reader;
import io.batchdrop.validation.Policy;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BatchdropConfigTest {

  /** The required variables and nothing else: each test adds what it is about. */
  static Map<String, String> minimal() {
    Map<String, String> env = new HashMap<>();
    env.put("GOOGLE_CLOUD_PROJECT", "acme-ml");
    env.put("BATCHDROP_INBOX_BUCKET", "acme-inbox");
    env.put("BATCHDROP_WORK_BUCKET", "acme-work");
    env.put("BATCHDROP_RESULTS_TOPIC", "results");
    env.put("BATCHDROP_EVENTS_TOPIC", "events");
    env.put("BATCHDROP_COMPLETIONS_TOPIC", "completions");
    return env;
  }

  @Test
  void theRequiredVariablesAloneGiveTheDocumentedDefaults() {
    BatchdropConfig config = BatchdropConfig.fromEnvironment(minimal());

    assertThat(config.location()).isEqualTo("us-central1");
    assertThat(config.submit().inboxPrefix()).isEmpty();
    assertThat(config.submit().models().defaultModel()).isEqualTo("gemini-2.5-flash");
    assertThat(config.submit().models().allowed()).containsExactly("gemini-2.5-flash");
    assertThat(config.submit().policy()).isEqualTo(Policy.LENIENT);
    assertThat(config.submit().maxInvalidRatio()).isEqualTo(0.10);
    assertThat(config.submit().maxFileBytes()).isEqualTo(1L << 30);
    assertThat(config.submit().maxRowsPerJob()).isEqualTo(200_000);
    assertThat(config.leaseDuration()).isEqualTo(Duration.ofSeconds(120));
    assertThat(config.endpoints().firestoreEmulatorHost()).isEmpty();
    assertThat(config.vertexApiEndpoint()).isEqualTo("us-central1-aiplatform.googleapis.com:443");
    assertThat(config.modelResource("gemini-2.5-pro"))
        .isEqualTo(
            "projects/acme-ml/locations/us-central1/publishers/google/models/gemini-2.5-pro");
  }

  @Test
  void eachMissingRequiredVariableIsNamedWithWhatItIsFor() {
    for (String name :
        Set.of(
            "GOOGLE_CLOUD_PROJECT",
            "BATCHDROP_INBOX_BUCKET",
            "BATCHDROP_WORK_BUCKET",
            "BATCHDROP_RESULTS_TOPIC",
            "BATCHDROP_EVENTS_TOPIC",
            "BATCHDROP_COMPLETIONS_TOPIC")) {
      Map<String, String> env = minimal();
      env.remove(name);

      assertThatThrownBy(() -> BatchdropConfig.fromEnvironment(env))
          .isInstanceOf(ConfigException.class)
          .hasMessageStartingWith(name + " is not set; expected ");
    }
  }

  @Test
  void malformedValuesAreNamedWithWhatWasExpected() {
    assertThatThrownBy(
            () ->
                BatchdropConfig.fromEnvironment(with("BATCHDROP_MAX_INVALID_RATIO", "ten percent")))
        .hasMessage(
            "BATCHDROP_MAX_INVALID_RATIO is \"ten percent\"; expected a number from 0.0 to 1.0");
    assertThatThrownBy(
            () -> BatchdropConfig.fromEnvironment(with("BATCHDROP_MAX_ROWS_PER_JOB", "500000")))
        .hasMessage("BATCHDROP_MAX_ROWS_PER_JOB is 500000; expected an integer from 1 to 200000");
    assertThatThrownBy(() -> BatchdropConfig.fromEnvironment(with("BATCHDROP_POLICY", "lax")))
        .hasMessage("BATCHDROP_POLICY is \"lax\"; expected lenient or strict");
    assertThatThrownBy(
            () -> BatchdropConfig.fromEnvironment(with("BATCHDROP_WORK_BUCKET", "acme-inbox")))
        .hasMessage(
            "BATCHDROP_WORK_BUCKET is \"acme-inbox\", the same as BATCHDROP_INBOX_BUCKET;"
                + " expected a separate bucket");
    assertThatThrownBy(
            () ->
                BatchdropConfig.fromEnvironment(with("BATCHDROP_ALLOWED_MODELS", "gemini-2.5-pro")))
        .hasMessageContaining("BATCHDROP_ALLOWED_MODELS")
        .hasMessageContaining("BATCHDROP_DEFAULT_MODEL");
  }

  @Test
  void anAllowedFileBucketThatIsNoBucketNameIsRefusedInsteadOfRefusingEveryRowThatNamesIt() {
    // Row URIs are compared with these names as written: "gs://media-in" or "Media-In" would
    // match no row, and every row with a file would be set aside as pointing elsewhere.
    for (String entry : new String[] {"gs://media-in", "Media-In", "media-in/images", "m"}) {
      assertThatThrownBy(
              () ->
                  BatchdropConfig.fromEnvironment(
                      with("BATCHDROP_ALLOWED_FILE_BUCKETS", "media-ok," + entry)))
          .as(entry)
          .isInstanceOf(ConfigException.class)
          .hasMessageStartingWith("BATCHDROP_ALLOWED_FILE_BUCKETS names \"" + entry + "\"")
          .hasMessageContaining("expected bucket names such as media-in, comma-separated");
    }
    assertThat(
            BatchdropConfig.fromEnvironment(
                    with("BATCHDROP_ALLOWED_FILE_BUCKETS", "media-in, media.example.com,a_b"))
                .submit()
                .allowedFileBuckets())
        .containsExactly("media-in", "media.example.com", "a_b");
  }

  @Test
  void theCreateWindowEndsBeforeTheFunctionTimeoutWouldKillItsHolder() {
    BatchdropConfig defaults = BatchdropConfig.fromEnvironment(minimal());
    BatchdropConfig shortLived =
        BatchdropConfig.fromEnvironment(with("BATCHDROP_FUNCTION_TIMEOUT_SECONDS", "300"));

    // Five attempts of two 60 s calls each plus backoffs would be about 645 s; the default
    // function timeout is 540 s, and recording the answer needs its margin too.
    assertThat(defaults.vertexRetry().functionTimeout()).isEqualTo(Duration.ofSeconds(540));
    assertThat(defaults.vertexRetry().createWindow()).isEqualTo(Duration.ofSeconds(480));
    assertThat(shortLived.vertexRetry().createWindow()).isEqualTo(Duration.ofSeconds(240));
    assertThatThrownBy(
            () ->
                BatchdropConfig.fromEnvironment(with("BATCHDROP_FUNCTION_TIMEOUT_SECONDS", "100")))
        .hasMessageContaining("BATCHDROP_FUNCTION_TIMEOUT_SECONDS is 100; expected at least 180");
  }

  @Test
  void theStuckPublishThresholdHasItsDocumentedDefaultAndIsValidated() {
    assertThat(BatchdropConfig.fromEnvironment(minimal()).poll().stuckPublish())
        .isEqualTo(Duration.ofHours(6));
    assertThat(
            BatchdropConfig.fromEnvironment(with("BATCHDROP_STUCK_PUBLISH_HOURS", "1.5"))
                .poll()
                .stuckPublish())
        .isEqualTo(Duration.ofMinutes(90));
    assertThatThrownBy(
            () -> BatchdropConfig.fromEnvironment(with("BATCHDROP_STUCK_PUBLISH_HOURS", "-1")))
        .hasMessageContaining("BATCHDROP_STUCK_PUBLISH_HOURS")
        .hasMessageContaining("expected a number from 0.0 to 720.0");
  }

  @Test
  void theRunWatchdogAndLostJobSettingsHaveDocumentedDefaults() {
    BatchdropConfig.Poll poll = BatchdropConfig.fromEnvironment(minimal()).poll();

    assertThat(poll.lostAfterNotFound()).isEqualTo(3);
    assertThat(poll.runStuck()).isEqualTo(Duration.ofMinutes(30));
    assertThat(poll.runMaxAge()).isEqualTo(Duration.ofHours(2));
    assertThat(poll.runMaxFailures()).isEqualTo(10);
    assertThat(
            BatchdropConfig.fromEnvironment(with("BATCHDROP_RUN_MAX_FAILURES", "3"))
                .poll()
                .runMaxFailures())
        .isEqualTo(3);
    assertThatThrownBy(
            () -> BatchdropConfig.fromEnvironment(with("BATCHDROP_RUN_MAX_FAILURES", "0")))
        .hasMessage("BATCHDROP_RUN_MAX_FAILURES is 0; expected an integer from 1 to 1000");
  }

  @Test
  void globalLocationUsesTheGlobalEndpointAndAnEmulatorEndpointWins() {
    assertThat(
            BatchdropConfig.fromEnvironment(with("BATCHDROP_LOCATION", "global"))
                .vertexApiEndpoint())
        .isEqualTo("aiplatform.googleapis.com:443");
    assertThat(
            BatchdropConfig.fromEnvironment(with("VERTEX_ENDPOINT", "127.0.0.1:9024"))
                .vertexApiEndpoint())
        .isEqualTo("127.0.0.1:9024");
  }

  @Test
  void listsAreTrimmedAndBlankValuesCountAsUnset() {
    Map<String, String> env = minimal();
    env.put("BATCHDROP_ALLOWED_MODELS", " gemini-2.5-flash , gemini-2.5-pro,, ");
    env.put("BATCHDROP_ALLOWED_FILE_BUCKETS", "media-a,media-b");
    env.put("BATCHDROP_LOCATION", "   ");

    BatchdropConfig config = BatchdropConfig.fromEnvironment(env);

    assertThat(config.submit().models().allowed())
        .containsExactlyInAnyOrder("gemini-2.5-flash", "gemini-2.5-pro");
    assertThat(config.submit().allowedFileBuckets())
        .containsExactlyInAnyOrder("media-a", "media-b");
    assertThat(config.location()).isEqualTo("us-central1");
  }

  @Test
  void listsKeepTheOrderTheyWereWrittenInAndDropRepeats() {
    Map<String, String> env = minimal();
    env.put("BATCHDROP_DEFAULT_MODEL", "gemini-2.5-pro");
    env.put(
        "BATCHDROP_ALLOWED_MODELS",
        "gemini-3-flash,gemini-2.5-pro,gemini-2.5-flash,gemini-3-flash");

    BatchdropConfig config = BatchdropConfig.fromEnvironment(env);

    assertThat(config.submit().models().allowed())
        .containsExactly("gemini-3-flash", "gemini-2.5-pro", "gemini-2.5-flash");
  }

  @Test
  void thePublishSettingsHaveNamedDefaultsWithinTheFunctionTimeout() {
    BatchdropConfig config = BatchdropConfig.fromEnvironment(minimal());
    BatchdropConfig.Publish publish = config.publish();

    assertThat(publish.budget()).isEqualTo(Duration.ofSeconds(420));
    assertThat(publish.windowRows()).isEqualTo(2000);
    assertThat(publish.inMemoryResponseBytes()).isEqualTo(16 << 20);
    assertThat(publish.maxAttempts()).isEqualTo(BatchdropConfig.Publish.DEFAULT_MAX_ATTEMPTS);
    assertThat(publish.priceTable()).isEmpty();
    assertThatThrownBy(
            () -> BatchdropConfig.fromEnvironment(with("BATCHDROP_PUBLISH_WINDOW_ROWS", "0")))
        .hasMessageContaining("BATCHDROP_PUBLISH_WINDOW_ROWS");
  }

  @Test
  void aPolicyIsTheEnumAndAnUnknownOneIsNamed() {
    assertThat(
            BatchdropConfig.fromEnvironment(with("BATCHDROP_POLICY", " Strict ")).submit().policy())
        .isEqualTo(Policy.STRICT);
    assertThatThrownBy(() -> BatchdropConfig.fromEnvironment(with("BATCHDROP_POLICY", "loose")))
        .hasMessage("BATCHDROP_POLICY is \"loose\"; expected lenient or strict");
  }

  @Test
  void pollStartsWithoutTheInboxBucketAndIgnoresMalformedSettingsOfOtherFunctions() {
    Map<String, String> env = minimal();
    env.remove("BATCHDROP_INBOX_BUCKET");
    env.put("BATCHDROP_PUBLISH_WINDOW_ROWS", "0");
    env.put("BATCHDROP_MAX_INVALID_RATIO", "ten percent");
    env.put("BATCHDROP_POLICY", "lax");
    env.put("BATCHDROP_MAX_RUN_COST_USD", "free");

    BatchdropConfig config = BatchdropConfig.forFunction(Reader.POLL, env);

    assertThat(config.poll().batchSize()).isEqualTo(1000);
    assertThat(config.poll().completionsTopic()).isEqualTo("completions");
    assertThat(config.poll().slicesTopic()).isEmpty();
    assertThat(config.workBucket()).isEqualTo("acme-work");
    assertThat(config.maxLineBytes()).isEqualTo(10 << 20);
  }

  @Test
  void pollFailsWithTodaysMessageWhenOneOfItsOwnSettingsIsMissingOrMalformed() {
    Map<String, String> missing = minimal();
    missing.remove("BATCHDROP_COMPLETIONS_TOPIC");

    assertThatThrownBy(() -> BatchdropConfig.forFunction(Reader.POLL, missing))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "BATCHDROP_COMPLETIONS_TOPIC is not set; expected the topic id that hands finished"
                + " jobs to publish");
    assertThatThrownBy(
            () -> BatchdropConfig.forFunction(Reader.POLL, with("BATCHDROP_POLL_BATCH", "all")))
        .hasMessage("BATCHDROP_POLL_BATCH is \"all\"; expected an integer from 1 to 10000");
    assertThatThrownBy(
            () -> BatchdropConfig.forFunction(Reader.POLL, with("BATCHDROP_WORK_BUCKET", "")))
        .hasMessageStartingWith("BATCHDROP_WORK_BUCKET is not set; expected ");
  }

  @Test
  void inlineMediaSpillIsOffUnlessSetToTrueAndAnythingButTrueOrFalseIsRefused() {
    assertThat(BatchdropConfig.fromEnvironment(minimal()).publish().spillInlineMedia()).isFalse();
    assertThat(
            BatchdropConfig.fromEnvironment(with("BATCHDROP_SPILL_INLINE_MEDIA", "TRUE"))
                .publish()
                .spillInlineMedia())
        .isTrue();
    assertThat(
            BatchdropConfig.fromEnvironment(with("BATCHDROP_SPILL_INLINE_MEDIA", "false"))
                .publish()
                .spillInlineMedia())
        .isFalse();
    assertThatThrownBy(
            () -> BatchdropConfig.fromEnvironment(with("BATCHDROP_SPILL_INLINE_MEDIA", "yes")))
        .hasMessage("BATCHDROP_SPILL_INLINE_MEDIA is yes; expected true or false");
  }

  @Test
  void submitStartsWithoutTheCompletionsTopicAndWithoutPollOrPublishSettings() {
    Map<String, String> env = minimal();
    env.remove("BATCHDROP_COMPLETIONS_TOPIC");
    env.put("BATCHDROP_POLL_CONCURRENCY", "1000");
    env.put("BATCHDROP_MAX_ATTEMPTS", "many");

    BatchdropConfig config = BatchdropConfig.forFunction(Reader.SUBMIT, env);

    assertThat(config.submit().inboxBucket()).isEqualTo("acme-inbox");
    assertThat(config.submit().policy()).isEqualTo(Policy.LENIENT);
    assertThat(config.submit().maxFileBytes()).isEqualTo(1L << 30);
    assertThat(config.submit().priceTable()).isEmpty();
    assertThatThrownBy(
            () ->
                BatchdropConfig.forFunction(
                    Reader.SUBMIT, with("BATCHDROP_MAX_RUN_COST_USD", "-5")))
        .hasMessage(
            "BATCHDROP_MAX_RUN_COST_USD is \"-5\"; expected a positive amount in US dollars");
    assertThatThrownBy(
            () ->
                BatchdropConfig.forFunction(
                    Reader.SUBMIT, with("BATCHDROP_WORK_BUCKET", "acme-inbox")))
        .hasMessage(
            "BATCHDROP_WORK_BUCKET is \"acme-inbox\", the same as BATCHDROP_INBOX_BUCKET;"
                + " expected a separate bucket");
  }

  @Test
  void publishReadsItsOwnGroupAndThePriceTableButNotTheInbox() {
    Map<String, String> env = minimal();
    env.remove("BATCHDROP_INBOX_BUCKET");
    env.put("BATCHDROP_POLICY", "lax");
    env.put("BATCHDROP_PRICE_TABLE", "{}");

    BatchdropConfig config = BatchdropConfig.forFunction(Reader.PUBLISH, env);

    assertThat(config.publish().maxAttempts()).isEqualTo(3);
    assertThat(config.publish().windowRows()).isEqualTo(2000);
    assertThat(config.publish().completionsTopic()).isEqualTo("completions");
    assertThat(config.publish().priceTable()).contains("{}");
    assertThatThrownBy(
            () ->
                BatchdropConfig.forFunction(
                    Reader.PUBLISH, with("BATCHDROP_PUBLISH_WINDOW_ROWS", "0")))
        .hasMessage("BATCHDROP_PUBLISH_WINDOW_ROWS is 0; expected an integer from 1 to 100000");
  }

  @Test
  void theSharedSettingsAreCheckedByEveryFunction() {
    for (Reader reader : Reader.values()) {
      assertThatThrownBy(
              () -> BatchdropConfig.forFunction(reader, with("BATCHDROP_BACKEND", "openai")))
          .hasMessage("BATCHDROP_BACKEND is \"openai\"; expected vertex or gemini-api");
      Map<String, String> env = minimal();
      env.remove("BATCHDROP_EVENTS_TOPIC");
      assertThatThrownBy(() -> BatchdropConfig.forFunction(reader, env))
          .hasMessageStartingWith("BATCHDROP_EVENTS_TOPIC is not set; expected ");
    }
  }

  @Test
  void aGroupTheFunctionDidNotReadIsNamedWhenAskedFor() {
    BatchdropConfig poll = BatchdropConfig.forFunction(Reader.POLL, minimal());
    BatchdropConfig submit = BatchdropConfig.forFunction(Reader.SUBMIT, minimal());
    BatchdropConfig publish = BatchdropConfig.forFunction(Reader.PUBLISH, minimal());

    assertThatThrownBy(poll::submit)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith(
            "BATCHDROP_INBOX_BUCKET and the other submit settings are read by submit only");
    assertThatThrownBy(poll::publish)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith(
            "BATCHDROP_PUBLISH_*, BATCHDROP_MAX_ATTEMPTS and the completions topic are read by"
                + " publish only");
    assertThatThrownBy(submit::poll)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("are read by poll only");
    assertThatThrownBy(publish::submit).isInstanceOf(IllegalStateException.class);
    assertThat(poll.maxLineBytes()).isEqualTo(BatchdropConfig.DEFAULT_MAX_LINE_BYTES);
    assertThat(poll.maxStagedLineBytes())
        .as("a staged line may carry the key and label staging added")
        .isEqualTo((10 << 20) + 64 * 1024);
  }

  private static Map<String, String> with(String name, String value) {
    Map<String, String> env = minimal();
    env.put(name, value);
    return env;
  }
}
