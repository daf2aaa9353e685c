package io.batchdrop.cloud.gemini;

import com.google.api.gax.core.NoCredentialsProvider;
import com.google.api.gax.grpc.InstantiatingGrpcChannelProvider;
import com.google.api.gax.retrying.RetrySettings;
import com.google.api.gax.rpc.ApiException;
import com.google.api.gax.rpc.StatusCode;
import com.google.cloud.secretmanager.v1.SecretManagerServiceClient;
import com.google.cloud.secretmanager.v1.SecretManagerServiceSettings;
import com.google.cloud.secretmanager.v1.SecretPayload;
import io.batchdrop.cloud.config.BatchdropConfig;
import io.batchdrop.cloud.config.ConfigException;
import io.grpc.ManagedChannelBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.zip.CRC32C;

/**
 * The Gemini API key, read once per instance: from the secret version {@code
 * BATCHDROP_GEMINI_API_KEY_SECRET} names, through the official Secret Manager client, with a
 * deadline; else {@code GEMINI_API_KEY} (local use). The key is returned as {@link
 * BatchdropConfig.ApiKey}, whose {@code toString} never shows it, and is never logged.
 *
 * <p>A secret version that does not exist, is disabled or may not be read is a {@link
 * ConfigException} naming the variable and the version: an operator fixes it (adds the version,
 * grants {@code secretmanager.secretAccessor}) and the redelivered event then goes through. A
 * payload whose {@code data_crc32c} does not match its data was damaged on its way and is read
 * again by the next attempt, never used.
 */
public final class ApiKeys {
  private static final Duration DEADLINE = Duration.ofSeconds(30);

  /** What an operator fixes, not a retry: the variable names something unreadable. */
  private static final Set<StatusCode.Code> MISCONFIGURED =
      Set.of(
          StatusCode.Code.NOT_FOUND,
          StatusCode.Code.PERMISSION_DENIED,
          StatusCode.Code.FAILED_PRECONDITION,
          StatusCode.Code.INVALID_ARGUMENT);

  private ApiKeys() {}

  public static BatchdropConfig.ApiKey read(BatchdropConfig.BackendChoice choice) {
    return read(choice, Optional.empty());
  }

  /** With {@code endpoint} ({@code SECRET_MANAGER_ENDPOINT}) pointing at a plaintext emulator. */
  public static BatchdropConfig.ApiKey read(
      BatchdropConfig.BackendChoice choice, Optional<String> endpoint) {
    if (choice.geminiApiKeySecret().isPresent()) {
      return fromSecretManager(choice.geminiApiKeySecret().get(), endpoint);
    }
    BatchdropConfig.ApiKey key =
        choice
            .geminiApiKey()
            .orElseThrow(
                () ->
                    new ConfigException(
                        "BATCHDROP_GEMINI_API_KEY_SECRET is not set; expected the secret version"
                            + " holding the Gemini API key (or GEMINI_API_KEY for local use)"));
    return checked(key.value(), "GEMINI_API_KEY");
  }

  /**
   * The key if every character may stand in an HTTP header as it is: an API key is letters, digits,
   * '-' and '_'. Anything else (a line break inside a pasted payload, a space, a control character)
   * would be refused by the HTTP client with a message quoting the whole header value, key and all,
   * and that message reaches the logs; so it is refused here, by position only.
   */
  private static BatchdropConfig.ApiKey checked(String key, String source) {
    for (int i = 0; i < key.length(); i++) {
      char ch = key.charAt(i);
      if (ch < 0x21 || ch > 0x7e) {
        throw new ConfigException(
            source
                + " holds a character an API key cannot have (a line break, space, control or"
                + " non-ASCII character) at position "
                + (i + 1)
                + " of "
                + key.length()
                + "; expected the Gemini API key alone");
      }
    }
    return new BatchdropConfig.ApiKey(key);
  }

  private static BatchdropConfig.ApiKey fromSecretManager(
      String version, Optional<String> endpoint) {
    SecretPayload payload;
    try (SecretManagerServiceClient client =
        SecretManagerServiceClient.create(settings(endpoint))) {
      payload = client.accessSecretVersion(version).getPayload();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the Secret Manager client", e);
    } catch (ApiException e) {
      if (MISCONFIGURED.contains(e.getStatusCode().getCode())) {
        throw new ConfigException(
            "BATCHDROP_GEMINI_API_KEY_SECRET is \""
                + version
                + "\", which Secret Manager answers "
                + e.getStatusCode().getCode()
                + " ("
                + e.getMessage()
                + "); expected an enabled secret version holding the Gemini API key that this"
                + " function's service account may access (roles/secretmanager.secretAccessor)");
      }
      throw e;
    }
    if (payload.hasDataCrc32C() && payload.getDataCrc32C() != crc32c(payload)) {
      throw new IllegalStateException(
          "the payload of secret version "
              + version
              + " does not match its data_crc32c (damaged on its way); not used, the next"
              + " attempt reads it again");
    }
    String key = payload.getData().toStringUtf8().strip();
    if (key.isEmpty()) {
      throw new ConfigException(
          "BATCHDROP_GEMINI_API_KEY_SECRET is \""
              + version
              + "\", whose payload is empty; expected the Gemini API key");
    }
    return checked(key, "BATCHDROP_GEMINI_API_KEY_SECRET is \"" + version + "\", whose payload");
  }

  private static SecretManagerServiceSettings settings(Optional<String> endpoint)
      throws IOException {
    SecretManagerServiceSettings.Builder settings = SecretManagerServiceSettings.newBuilder();
    if (endpoint.isPresent()) {
      settings
          .setTransportChannelProvider(
              InstantiatingGrpcChannelProvider.newBuilder()
                  .setEndpoint(endpoint.get())
                  .setChannelConfigurator(ManagedChannelBuilder::usePlaintext)
                  .build())
          .setCredentialsProvider(NoCredentialsProvider.create());
    }
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
    return settings.build();
  }

  private static long crc32c(SecretPayload payload) {
    CRC32C crc = new CRC32C();
    crc.update(payload.getData().asReadOnlyByteBuffer());
    return crc.getValue();
  }
}
