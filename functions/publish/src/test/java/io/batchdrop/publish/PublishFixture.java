package io.batchdrop.publish;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.cloud.aiplatform.v1.BatchPredictionJob;
import com.google.cloud.firestore.DocumentSnapshot;
import com.google.cloud.firestore.QueryDocumentSnapshot;
import com.google.cloud.storage.Blob;
import com.google.cloud.storage.BlobInfo;
import com.google.protobuf.ByteString;
import com.google.pubsub.v1.PubsubMessage;
import io.batchdrop.cloud.CloudClients;
import io.batchdrop.cloud.config.BatchdropConfig;
import io.batchdrop.cloud.firestore.Timestamps;
import io.batchdrop.cloud.jobs.HandOffMessage;
import io.batchdrop.cloud.jobs.JobCreator;
import io.batchdrop.cloud.jobs.JobDoc;
import io.batchdrop.cloud.jobs.VertexStates;
import io.batchdrop.cloud.run.RunId;
import io.batchdrop.pricing.PriceTable;
import io.batchdrop.submit.SubmitFunction;
import io.batchdrop.testing.EventarcDelivery;
import io.batchdrop.testing.Jsonl;
import io.batchdrop.testing.LocalCloud;
import io.batchdrop.testing.LocalDeployment;
import io.batchdrop.testing.MessagePublishedEvent;
import io.batchdrop.testing.RunDocuments;
import io.batchdrop.testing.StorageEvents;
import io.cloudevents.CloudEvent;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Batchdrop on the local cloud up to the hand-off: a file goes through the real {@code submit}
 * function, Vertex (the emulator) runs its jobs, and each finished job is recorded the way {@code
 * poll} records it before handing it off. Then {@code publish} gets the hand-off as Eventarc
 * delivers it, and the test reads what subscribers receive.
 */
final class PublishFixture implements AutoCloseable {
  static final String PREFIX = "incoming/";
  static final Duration WAIT = Duration.ofSeconds(30);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final LocalCloud cloud;
  private final LocalDeployment deployment;

  PublishFixture(LocalCloud cloud) {
    this.cloud = cloud;
    this.deployment = LocalDeployment.create(cloud);
    deployment.configure(
        Map.of(
            "BATCHDROP_INBOX_PREFIX", PREFIX,
            "BATCHDROP_MAX_INVALID_RATIO", "0.5",
            "BATCHDROP_ALLOWED_MODELS", "gemini-2.5-flash,gemini-0-unreleased"));
    cloud.vertexEmulator().knobs().delays(Duration.ZERO, Duration.ZERO);
  }

  void configure(Map<String, String> settings) {
    deployment.configure(settings);
  }

  BatchdropConfig config() {
    return BatchdropConfig.fromEnvironment(deployment.environment());
  }

  /** Uploads the lines and runs submit on them, as the finalize event would. */
  RunId submit(String name, String content, Map<String, String> metadata) throws Exception {
    BlobInfo info =
        BlobInfo.newBuilder(LocalDeployment.INBOX, PREFIX + name)
            .setContentType("application/jsonl")
            .setMetadata(metadata.isEmpty() ? null : metadata)
            .build();
    Blob blob = cloud.storage().create(info, content.getBytes(StandardCharsets.UTF_8));
    try (SubmitFunction submit = new SubmitFunction(config())) {
      submit.accept(finalized(blob));
    }
    return RunId.of(blob.getBucket(), blob.getName(), blob.getGeneration());
  }

  RunId submit(String name, String content) throws Exception {
    return submit(name, content, Map.of());
  }

  /**
   * Waits for every Vertex job of the run to finish and records each as poll does when it sees a
   * terminal state; returns the hand-offs poll would send (one per job not yet handed off).
   */
  List<HandOffMessage> finishJobs(RunId run) throws Exception {
    List<HandOffMessage> handOffs = new ArrayList<>();
    for (QueryDocumentSnapshot doc : jobs(run)) {
      if (Boolean.TRUE.equals(doc.getBoolean(JobDoc.PUBLISH_DONE))) {
        continue; // published
      }
      String state = doc.getString(JobDoc.STATE);
      if (JobDoc.CREATE_FAILED.equals(state)) {
        handOffs.add(HandOffMessage.from(doc));
        continue;
      }
      BatchPredictionJob job =
          "gemini-api".equals(doc.getString(JobDoc.BACKEND))
              ? awaitGeminiTerminal(doc)
              : awaitTerminal(doc.getString(JobDoc.VERTEX_NAME));
      Map<String, Object> fields = new HashMap<>();
      fields.put(JobDoc.STATE, job.getState().name());
      fields.put(JobDoc.STATE_VALUE, job.getStateValue());
      fields.put(JobDoc.OUTPUT_DIRECTORY, job.getOutputInfo().getGcsOutputDirectory());
      fields.put(
          JobDoc.VERTEX_CREATE_TIME, com.google.cloud.Timestamp.fromProto(job.getCreateTime()));
      if (job.hasStartTime()) {
        fields.put(
            JobDoc.VERTEX_START_TIME, com.google.cloud.Timestamp.fromProto(job.getStartTime()));
      }
      if (job.hasEndTime()) {
        fields.put(JobDoc.VERTEX_END_TIME, com.google.cloud.Timestamp.fromProto(job.getEndTime()));
      }
      fields.put(JobDoc.ACTIVE, false);
      fields.put(JobDoc.PUBLISH_DONE, false);
      fields.put(JobDoc.HANDOFF_AT, Timestamps.of(Instant.EPOCH));
      doc.getReference().update(fields).get();
      handOffs.add(HandOffMessage.from(doc.getReference().get().get()));
    }
    return handOffs;
  }

  /** Hands every finished job to publish until nothing is left: retries included. */
  void publishUntilClosed(RunId run) throws Exception {
    for (int round = 0; round < 10; round++) {
      List<HandOffMessage> handOffs = finishJobs(run);
      if (handOffs.isEmpty()) {
        return;
      }
      try (PublishFunction publish = new PublishFunction(config())) {
        for (HandOffMessage handOff : handOffs) {
          publish.accept(event(handOff));
        }
      }
    }
    throw new AssertionError("the run still had jobs to publish after 10 rounds");
  }

  /** A publisher with its own clock, as an instance would build it. */
  JobPublisher publisher(Clock clock) {
    CloudClients clients = new CloudClients(config());
    deployment.closeLater(clients);
    return new JobPublisher(clients, PriceTable.builtIn(), clock, JobCreator.Backoff.SLEEP);
  }

  /**
   * Polls a Gemini API batch through its backend, as poll does: the output is copied at the end.
   */
  BatchPredictionJob awaitGeminiTerminal(DocumentSnapshot doc) throws InterruptedException {
    CloudClients clients = new CloudClients(config());
    deployment.closeLater(clients);
    io.batchdrop.cloud.jobs.BatchBackend backend = clients.backends().get("gemini-api");
    Instant deadline = Instant.now().plus(WAIT);
    while (Instant.now().isBefore(deadline)) {
      BatchPredictionJob job =
          backend.get(doc.getString(JobDoc.VERTEX_NAME), doc.getString(JobDoc.OUTPUT_URI_PREFIX));
      if (VertexStates.isTerminal(job)) {
        return job;
      }
      java.util.concurrent.locks.LockSupport.parkNanos(20_000_000L); // polls, as poll does
    }
    throw new AssertionError("batch " + doc.getString(JobDoc.VERTEX_NAME) + " did not finish");
  }

  BatchPredictionJob awaitTerminal(String vertexName) throws InterruptedException {
    Instant deadline = Instant.now().plus(WAIT);
    while (Instant.now().isBefore(deadline)) {
      BatchPredictionJob job = cloud.jobService().getBatchPredictionJob(vertexName);
      if (VertexStates.isTerminal(job)) {
        return job;
      }
      java.util.concurrent.locks.LockSupport.parkNanos(20_000_000L); // polls Vertex, as poll does
    }
    throw new AssertionError("job " + vertexName + " did not finish within " + WAIT);
  }

  List<QueryDocumentSnapshot> jobs(RunId run) throws Exception {
    return RunDocuments.jobs(cloud, run.value());
  }

  DocumentSnapshot run(RunId run) throws Exception {
    return RunDocuments.run(cloud, run.value());
  }

  /** Result messages, waiting for {@code expected} of them. */
  List<PubsubMessage> results(int expected) {
    return cloud.pull("results-sub", expected, WAIT);
  }

  /** Waits until at least {@code count} results arrived (more may have), returning them. */
  List<PubsubMessage> resultsAtLeast(int count) {
    return cloud.pull("results-sub", count, WAIT);
  }

  Map<String, String> environment() {
    return deployment.environment();
  }

  /** Whatever else was published so far: a test that expects none sees none. */
  List<PubsubMessage> moreResults() {
    return cloud.pullPublishedSoFar("results", "results-sub", WAIT);
  }

  List<PubsubMessage> events(int expected) {
    return cloud.pull("events-sub", expected, WAIT);
  }

  List<PubsubMessage> completions(int expected, Duration wait) {
    return cloud.pull("completions-sub", expected, wait);
  }

  String readWork(String name) {
    Blob blob = cloud.storage().get(LocalDeployment.WORK, name);
    return blob == null ? null : new String(blob.getContent(), StandardCharsets.UTF_8);
  }

  static JsonNode data(PubsubMessage message) throws Exception {
    return JSON.readTree(message.getData().toByteArray());
  }

  /** The messagePublished CloudEvent Eventarc delivers for a hand-off on the completions topic. */
  static CloudEvent event(HandOffMessage handOff) {
    return event(handOff.encode());
  }

  /** A new message id each time, as Pub/Sub gives each message it publishes. */
  static CloudEvent event(PubsubMessage message) {
    return MessagePublishedEvent.published(message, "completions");
  }

  /** The same event as Eventarc POSTs it to the publish function. */
  static EventarcDelivery delivery(HandOffMessage handOff) {
    return EventarcDelivery.of(event(handOff));
  }

  static PubsubMessage rawMessage(String data) {
    return PubsubMessage.newBuilder().setData(ByteString.copyFromUtf8(data)).build();
  }

  static CloudEvent finalized(Blob blob) {
    return StorageEvents.finalized(blob);
  }

  static String line(String prompt) {
    return Jsonl.request(prompt) + "\n";
  }

  static String keyed(String key, String prompt) {
    return Jsonl.keyed(key, prompt) + "\n";
  }

  static String lines(int count, String prefix) {
    return Jsonl.lines(count, prefix);
  }

  @Override
  public void close() throws Exception {
    deployment.close();
  }
}
