package io.batchdrop.cloud.gemini;

import com.google.api.gax.retrying.RetrySettings;
import com.google.api.gax.rpc.StatusCode;
import com.google.cloud.secretmanager.v1.SecretManagerServiceClient;
import com.google.cloud.secretmanager.v1.SecretManagerServiceSettings;
import io.batchdrop.cloud.config.BatchdropConfig;
import io.batchdrop.cloud.config.ConfigException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;

/**
 * The Gemini API key, read once per instance: from the secret version {@code
 * BATCHDROP_GEMINI_API_KEY_SECRET} names, through the official Secret Manager client, with a
 * deadline; else {@code GEMINI_API_KEY} (local use). The key is returned as {@link
 * BatchdropConfig.ApiKey}, whose {@code toString} never shows it, and is never logged.
 */
public final class ApiKeys {
  private static final Duration DEADLINE = Duration.ofSeconds(30);

  private ApiKeys() {}

  public static BatchdropConfig.ApiKey read(BatchdropConfig.BackendChoice choice) {
    if (choice.geminiApiKeySecret().isPresent()) {
      return fromSecretManager(choice.geminiApiKeySecret().get());
    }
    return choice
        .geminiApiKey()
        .orElseThrow(
            () ->
                new ConfigException(
                    "BATCHDROP_GEMINI_API_KEY_SECRET is not set; expected the secret version"
                        + " holding the Gemini API key (or GEMINI_API_KEY for local use)"));
  }

  private static BatchdropConfig.ApiKey fromSecretManager(String version) {
    try {
      SecretManagerServiceSettings.Builder settings = SecretManagerServiceSettings.newBuilder();
      settings
          .accessSecretVersionSettings()
          .setRetrySettings(
              RetrySettings.newBuilder()
                  .setInitialRpcTimeoutDuration(Duration.ofSeconds(10))
                  .setMaxRpcTimeoutDuration(Duration.ofSeconds(10))
                  .setTotalTimeoutDuration(DEADLINE)
                  .setMaxAttempts(3)
                  .setInitialRetryDelayDuration(Duration.ofMillis(200))
                  .setRetryDelayMultiplier(2.0)
                  .setMaxRetryDelayDuration(Duration.ofSeconds(2))
                  .build())
          .setRetryableCodes(StatusCode.Code.UNAVAILABLE, StatusCode.Code.DEADLINE_EXCEEDED);
      try (SecretManagerServiceClient client =
          SecretManagerServiceClient.create(settings.build())) {
        String key = client.accessSecretVersion(version).getPayload().getData().toStringUtf8();
        if (key.isBlank()) {
          throw new ConfigException(
              "the secret version " + version + " is empty; expected the Gemini API key");
        }
        return new BatchdropConfig.ApiKey(key.strip());
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the Secret Manager client", e);
    }
  }
}
