package io.batchdrop.submit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.cloud.firestore.DocumentSnapshot;
import com.google.cloud.firestore.QueryDocumentSnapshot;
import com.google.cloud.storage.Blob;
import com.google.cloud.storage.BlobInfo;
import com.google.pubsub.v1.PubsubMessage;
import io.batchdrop.cloud.CloudClients;
import io.batchdrop.cloud.config.BatchdropConfig;
import io.batchdrop.cloud.jobs.JobCreator;
import io.batchdrop.cloud.run.RunId;
import io.batchdrop.testing.EventarcDelivery;
import io.batchdrop.testing.Jsonl;
import io.batchdrop.testing.LocalCloud;
import io.batchdrop.testing.LocalDeployment;
import io.batchdrop.testing.RunDocuments;
import io.batchdrop.testing.StorageEvents;
import io.cloudevents.CloudEvent;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** A deployment of {@code submit} on the local cloud: buckets, topics, configuration, uploads. */
final class SubmitFixture implements AutoCloseable {
  static final String INBOX = LocalDeployment.INBOX;
  static final String WORK = LocalDeployment.WORK;
  static final String PREFIX = "incoming/";
  static final Duration WAIT = Duration.ofSeconds(20);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final LocalCloud cloud;
  private final LocalDeployment deployment;

  SubmitFixture(LocalCloud cloud) {
    this.cloud = cloud;
    this.deployment = LocalDeployment.create(cloud);
    deployment.configure(
        Map.of(
            "BATCHDROP_INBOX_PREFIX", PREFIX,
            "BATCHDROP_LOCATION", "us-central1",
            "BATCHDROP_ALLOWED_MODELS", "gemini-2.5-flash,gemini-2.5-pro,gemini-0-unreleased"));
  }

  Map<String, String> environment() {
    return deployment.environment();
  }

  /**
   * Deployment settings for this test, on top of the defaults; applies to functions built after.
   */
  void configure(Map<String, String> settings) {
    deployment.configure(settings);
  }

  /** A new function instance, as a new Cloud Run instance would build it. */
  SubmitFunction function() {
    return deployment.closeLater(
        new SubmitFunction(BatchdropConfig.fromEnvironment(environment())));
  }

  /**
   * The submitter a new instance would build, on {@code clock}: a test moves the invocation's time
   * on without waiting for it.
   */
  UploadSubmitter submitter(Clock clock) {
    return new UploadSubmitter(clients(), clock, JobCreator.Backoff.SLEEP);
  }

  /** The clients a new instance of any function would build from this deployment. */
  CloudClients clients() {
    return deployment.closeLater(new CloudClients(BatchdropConfig.fromEnvironment(environment())));
  }

  @Override
  public void close() throws Exception {
    deployment.close();
  }

  Blob upload(String name, String content) {
    return upload(name, content, Map.of());
  }

  Blob upload(String name, String content, Map<String, String> metadata) {
    BlobInfo info =
        BlobInfo.newBuilder(INBOX, name)
            .setContentType("application/jsonl")
            .setMetadata(metadata.isEmpty() ? null : metadata)
            .build();
    return cloud.storage().create(info, content.getBytes(StandardCharsets.UTF_8));
  }

  /** The finalize event Eventarc would deliver for this object generation. */
  static CloudEvent finalized(Blob blob) {
    return StorageEvents.finalized(blob);
  }

  /**
   * The finalize event as Eventarc POSTs it in binary mode, its {@code StorageObjectData} with a
   * field added after this code was written, which submit must ignore.
   */
  static EventarcDelivery delivery(Blob blob, String eventId) throws Exception {
    EventarcDelivery delivery = EventarcDelivery.of(StorageEvents.finalized(blob, eventId));
    ObjectNode data = (ObjectNode) JSON.readTree(delivery.body());
    data.put("someFieldAddedLater", true);
    return delivery.withBody(data.toString());
  }

  static RunId runId(Blob blob) {
    return RunId.of(blob.getBucket(), blob.getName(), blob.getGeneration());
  }

  DocumentSnapshot run(Blob blob) throws Exception {
    return RunDocuments.run(cloud, runId(blob).value());
  }

  List<QueryDocumentSnapshot> jobsOf(Blob blob) throws Exception {
    return RunDocuments.jobs(cloud, runId(blob).value());
  }

  /** Lifecycle event types received, in arrival order, waiting for {@code expected} of them. */
  List<String> eventTypes(int expected) {
    return cloud.pull("events-sub", expected, WAIT).stream()
        .map(m -> m.getAttributesOrThrow("type"))
        .toList();
  }

  List<PubsubMessage> results(int expected) {
    return cloud.pull("results-sub", expected, WAIT);
  }

  String readWork(String objectName) {
    Blob blob = cloud.storage().get(WORK, objectName);
    return blob == null ? null : new String(blob.getContent(), StandardCharsets.UTF_8);
  }

  static JsonNode json(String text) throws Exception {
    return JSON.readTree(text);
  }

  /** A valid request line, without the line break. */
  static String line(String prompt) {
    return Jsonl.request(prompt);
  }

  static String lines(int count) {
    return Jsonl.lines(count, "prompt");
  }
}
