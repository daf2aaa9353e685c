package io.batchdrop.faults;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.batchdrop.testing.LocalCloud;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The batch jobs a backend holds for a run, by display name (the job id): what {@link
 * InvariantChecker} counts one per shard attempt. On the Gemini API a batch that submit found to be
 * a second one of the same name is cancelled and deleted (the SDK resends a create whose answer was
 * lost); one seen between its cancel and its delete is not counted.
 */
final class BatchJobs {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  private BatchJobs() {}

  static List<String> displayNames(LocalCloud cloud, Backend backend, String runId)
      throws IOException, InterruptedException {
    if (runId.isEmpty()) {
      return List.of();
    }
    List<String> all =
        backend == Backend.VERTEX
            ? cloud.vertexEmulator().jobs().stream().map(j -> j.getDisplayName()).toList()
            : geminiBatches(cloud);
    return all.stream().filter(name -> name.startsWith(runId + "-")).toList();
  }

  private static List<String> geminiBatches(LocalCloud cloud)
      throws IOException, InterruptedException {
    List<String> names = new ArrayList<>();
    String token = "";
    do {
      HttpResponse<String> answer =
          HTTP.send(
              HttpRequest.newBuilder(
                      URI.create(
                          cloud.geminiEmulator().baseUri()
                              + "/v1beta/batches?pageSize=1000&pageToken="
                              + token))
                  .header("x-goog-api-key", LocalCloud.GEMINI_API_KEY_VALUE)
                  .timeout(Duration.ofSeconds(30))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      if (answer.statusCode() != 200) {
        throw new IOException(
            "the Gemini API emulator answered the batch list " + answer.statusCode());
      }
      JsonNode page = JSON.readTree(answer.body());
      for (JsonNode operation : page.path("operations")) {
        JsonNode metadata = operation.path("metadata");
        if (!metadata.path("state").asText().equals("BATCH_STATE_CANCELLED")) {
          names.add(metadata.path("displayName").asText());
        }
      }
      token = page.path("nextPageToken").asText("");
    } while (!token.isEmpty());
    return names;
  }

  /** Where a round's batches run: the value of the upload's {@code batchdrop-backend}. */
  enum Backend {
    VERTEX("vertex"),
    GEMINI_API("gemini-api");

    final String id;

    Backend(String id) {
      this.id = id;
    }
  }
}
