package io.batchdrop.emulator.vertex;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.cloud.NoCredentials;
import com.google.cloud.aiplatform.v1.BatchPredictionJob;
import com.google.cloud.aiplatform.v1.JobServiceClient;
import com.google.cloud.storage.Blob;
import com.google.cloud.storage.BlobInfo;
import com.google.cloud.storage.BucketInfo;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.StorageOptions;
import io.batchdrop.emulator.storage.StorageEmulator;
import io.batchdrop.emulator.storage.StorageEmulatorConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Our Cloud Storage emulator, a Vertex emulator reading and writing through it, and the official
 * clients for both: the setup every test with real jobs needs.
 */
final class LocalVertex implements AutoCloseable {

  static final String BUCKET = "work";
  private static final ObjectMapper JSON = new ObjectMapper();

  final StorageEmulator storageEmulator;
  final Storage storage;
  final VertexEmulator vertex;
  final JobServiceClient client;

  private LocalVertex(
      StorageEmulator storageEmulator,
      Storage storage,
      VertexEmulator vertex,
      JobServiceClient client) {
    this.storageEmulator = storageEmulator;
    this.storage = storage;
    this.vertex = vertex;
    this.client = client;
  }

  static LocalVertex start() throws IOException {
    return start(UnaryOperator.identity());
  }

  /** {@link #start()} with the Vertex emulator's config changed by {@code configure}. */
  static LocalVertex start(UnaryOperator<VertexEmulatorConfig> configure) throws IOException {
    StorageEmulator storageEmulator = StorageEmulator.start(StorageEmulatorConfig.inMemory());
    Storage storage =
        StorageOptions.http()
            .setHost(storageEmulator.baseUri().toString())
            .setProjectId("p")
            .setCredentials(NoCredentials.getInstance())
            .build()
            .getService();
    VertexEmulator vertex =
        VertexEmulator.start(configure.apply(VertexEmulatorConfig.immediate(storage)));
    return new LocalVertex(storageEmulator, storage, vertex, JobServiceClients.plaintext(vertex));
  }

  /** Fresh state: no jobs, default knobs, an empty work bucket. */
  void reset() {
    vertex.reset();
    storageEmulator.reset();
    storage.create(BucketInfo.of(BUCKET));
  }

  /** Uploads {@code lines} as {@code gs://work/<name>} and answers its uri. */
  String upload(String name, List<String> lines) {
    storage.create(
        BlobInfo.newBuilder(BUCKET, name).build(),
        (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8));
    return "gs://" + BUCKET + "/" + name;
  }

  /**
   * Creates a job over {@code lines} with its own output prefix and answers it as get sees it next.
   */
  BatchPredictionJob run(String displayName, List<String> lines) {
    return run(displayName, lines, UnaryOperator.identity());
  }

  /** {@link #run(String, List)} with the job request changed by {@code shape} (labels...). */
  BatchPredictionJob run(
      String displayName, List<String> lines, UnaryOperator<BatchPredictionJob.Builder> shape) {
    String input = upload("input/" + displayName + ".jsonl", lines);
    BatchPredictionJob created =
        client.createBatchPredictionJob(
            JobRequests.PARENT,
            shape
                .apply(
                    JobRequests.gemini(
                        displayName, input, "gs://" + BUCKET + "/output/" + displayName))
                .build());
    return client.getBatchPredictionJob(created.getName());
  }

  /** The names of the objects under a job's output directory, in name order. */
  List<String> outputFiles(BatchPredictionJob job) {
    String directory = job.getOutputInfo().getGcsOutputDirectory();
    assertThat(directory).startsWith("gs://" + BUCKET + "/");
    String prefix = directory.substring(("gs://" + BUCKET + "/").length()) + "/";
    List<String> names = new ArrayList<>();
    for (Blob blob : storage.list(BUCKET, Storage.BlobListOption.prefix(prefix)).iterateAll()) {
      names.add(blob.getName().substring(prefix.length()));
    }
    names.sort(String::compareTo);
    return names;
  }

  /** Every row of every {@code predictions*.jsonl} of a job, file by file in name order. */
  List<JsonNode> outputRows(BatchPredictionJob job) {
    return outputLines(job).stream().map(LocalVertex::parse).toList();
  }

  /** Every line of every {@code predictions*.jsonl} of a job, unparsed. */
  List<String> outputLines(BatchPredictionJob job) {
    String directory = job.getOutputInfo().getGcsOutputDirectory();
    String prefix = directory.substring(("gs://" + BUCKET + "/").length()) + "/";
    List<String> lines = new ArrayList<>();
    for (String file : outputFiles(job)) {
      String text = new String(storage.readAllBytes(BUCKET, prefix + file), StandardCharsets.UTF_8);
      for (String line : text.split("\n")) {
        if (!line.isEmpty()) {
          lines.add(line);
        }
      }
    }
    return lines;
  }

  static JsonNode parse(String json) {
    try {
      return JSON.readTree(json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    client.close();
    vertex.close();
    storageEmulator.close();
  }
}
