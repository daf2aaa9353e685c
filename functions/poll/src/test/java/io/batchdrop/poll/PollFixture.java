package io.batchdrop.poll;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.cloud.aiplatform.v1.BatchPredictionJob;
import com.google.cloud.firestore.DocumentSnapshot;
import com.google.cloud.storage.BlobInfo;
import com.google.pubsub.v1.PubsubMessage;
import io.batchdrop.cloud.CloudClients;
import io.batchdrop.cloud.config.BatchdropConfig;
import io.batchdrop.cloud.firestore.Timestamps;
import io.batchdrop.cloud.jobs.JobDoc;
import io.batchdrop.cloud.jobs.JobSpec;
import io.batchdrop.cloud.run.JobId;
import io.batchdrop.cloud.run.RunDoc;
import io.batchdrop.cloud.run.RunId;
import io.batchdrop.cloud.run.RunState;
import io.batchdrop.cloud.run.WorkLayout;
import io.batchdrop.testing.LocalCloud;
import io.batchdrop.testing.LocalDeployment;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A deployment of {@code poll} on the local cloud, with jobs as {@code submit} leaves them: a
 * Vertex job (staying PENDING for an hour unless a test moves it) and its {@code jobs/} document.
 */
final class PollFixture implements AutoCloseable {
  static final String WORK = LocalDeployment.WORK;
  static final String MODEL = "gemini-2.5-flash";
  static final Duration WAIT = Duration.ofSeconds(20);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final LocalCloud cloud;
  private final LocalDeployment deployment;
  private int runs;

  PollFixture(LocalCloud cloud) {
    this.cloud = cloud;
    this.deployment = LocalDeployment.create(cloud);
    cloud.vertexEmulator().knobs().delays(Duration.ofHours(1), Duration.ofHours(1));
  }

  void configure(Map<String, String> settings) {
    deployment.configure(settings);
  }

  Map<String, String> environment() {
    return deployment.environment();
  }

  BatchdropConfig config() {
    return BatchdropConfig.fromEnvironment(environment());
  }

  /** A poller as one function instance builds it. */
  Poller poller() {
    return poller(Clock.systemUTC());
  }

  /** A poller on {@code clock}: a test moves it on hours without waiting for them. */
  Poller poller(Clock clock) {
    CloudClients clients = new CloudClients(config());
    ExecutorService pool = Executors.newFixedThreadPool(config().poll().concurrency());
    deployment.closeLater(clients);
    deployment.closeLater(
        () -> {
          pool.shutdown();
          pool.awaitTermination(30, TimeUnit.SECONDS);
        });
    return new Poller(clients, pool, clock);
  }

  PollSummary poll() throws Exception {
    return poller().poll(null);
  }

  @Override
  public void close() throws Exception {
    deployment.close();
  }

  /** A submitted run, as submit leaves it. */
  RunId run() throws Exception {
    RunId run = RunId.of("batchdrop-inbox", "file-" + (++runs) + ".jsonl", 1);
    cloud
        .firestore()
        .collection(RunDoc.COLLECTION)
        .document(run.value())
        .set(Map.of(RunDoc.STATE, RunState.SUBMITTED.name(), RunDoc.MODEL, MODEL))
        .get();
    return run;
  }

  JobSpec spec(JobId jobId) {
    WorkLayout layout = new WorkLayout(WORK);
    return new JobSpec(
        jobId,
        config().modelResource(MODEL),
        layout.inputUri(jobId),
        layout.outputUriPrefix(jobId));
  }

  /** A Vertex job and its document, recorded the way submit records the create answer. */
  Tracked submitted(RunId run, int shard) throws Exception {
    Map.Entry<Tracked, Map<String, Object>> job = submittedDocument(run, shard);
    cloud
        .firestore()
        .collection(JobDoc.COLLECTION)
        .document(job.getKey().jobId().value())
        .set(job.getValue())
        .get();
    return job.getKey();
  }

  /** A Vertex job and the document submit would record for it, not yet written. */
  Map.Entry<Tracked, Map<String, Object>> submittedDocument(RunId run, int shard) {
    JobId jobId = new JobId(run, shard, 1);
    BatchPredictionJob job =
        cloud.jobService().createBatchPredictionJob(parent(), spec(jobId).toBatchPredictionJob());
    Map<String, Object> doc = creatingDocument(jobId, Instant.now());
    doc.put(JobDoc.VERTEX_NAME, job.getName());
    doc.put(JobDoc.STATE, job.getState().name());
    doc.put(JobDoc.STATE_VALUE, job.getStateValue());
    doc.put(JobDoc.NEXT_POLL_AT, Timestamps.of(Instant.now()));
    doc.put(JobDoc.VERTEX_CREATE_TIME, com.google.cloud.Timestamp.fromProto(job.getCreateTime()));
    return Map.entry(new Tracked(jobId, job.getName()), doc);
  }

  /** A document left CREATING by a submit call that died, {@code nextPollAt} already passed. */
  JobId leftCreating(RunId run, int shard) throws Exception {
    JobId jobId = new JobId(run, shard, 1);
    Map<String, Object> doc = creatingDocument(jobId, Instant.now().minus(Duration.ofMinutes(10)));
    doc.put(JobDoc.NEXT_POLL_AT, Timestamps.of(Instant.now().minus(Duration.ofMinutes(5))));
    cloud.firestore().collection(JobDoc.COLLECTION).document(jobId.value()).set(doc).get();
    return jobId;
  }

  private Map<String, Object> creatingDocument(JobId jobId, Instant at) {
    JobSpec spec = spec(jobId);
    Map<String, Object> doc = new HashMap<>();
    doc.put(JobDoc.RUN_ID, jobId.run().value());
    doc.put(JobDoc.SHARD, jobId.shard());
    doc.put(JobDoc.ATTEMPT, jobId.attempt());
    doc.put(JobDoc.MODEL, MODEL);
    doc.put(JobDoc.INPUT_URI, spec.inputUri());
    doc.put(JobDoc.OUTPUT_URI_PREFIX, spec.outputUriPrefix());
    doc.put(JobDoc.ROWS, 2);
    doc.put(JobDoc.STATE, JobDoc.CREATING);
    doc.put(JobDoc.ACTIVE, true);
    doc.put(JobDoc.CREATE_REQUESTED_AT, Timestamps.of(at));
    doc.put(JobDoc.UPDATED_AT, Timestamps.of(at));
    return doc;
  }

  /** Stages a shard of {@code rows} valid requests where the job's spec points. */
  void stage(JobId jobId, int rows) {
    StringBuilder lines = new StringBuilder();
    for (int i = 1; i <= rows; i++) {
      lines
          .append("{\"key\":\"row-")
          .append(i)
          .append("\",\"request\":{\"contents\":[{\"role\":\"user\",")
          .append("\"parts\":[{\"text\":\"prompt ")
          .append(i)
          .append("\"}]}]}}\n");
    }
    cloud
        .storage()
        .create(
            BlobInfo.newBuilder(WORK, new WorkLayout(WORK).inputObject(jobId)).build(),
            lines.toString().getBytes(StandardCharsets.UTF_8));
  }

  String parent() {
    return "projects/" + cloud.projectId() + "/locations/" + config().location();
  }

  DocumentSnapshot job(JobId jobId) throws Exception {
    return cloud.firestore().collection(JobDoc.COLLECTION).document(jobId.value()).get().get();
  }

  DocumentSnapshot runDoc(RunId run) throws Exception {
    return cloud.firestore().collection(RunDoc.COLLECTION).document(run.value()).get().get();
  }

  void update(JobId jobId, String field, Object value) throws Exception {
    cloud
        .firestore()
        .collection(JobDoc.COLLECTION)
        .document(jobId.value())
        .update(field, value)
        .get();
  }

  /** Makes jobs due now, as the next tick after their schedule would find them. */
  void dueNow(Tracked... jobs) throws Exception {
    for (Tracked job : jobs) {
      update(job.jobId(), JobDoc.NEXT_POLL_AT, com.google.cloud.Timestamp.now());
    }
  }

  /** Everything published on a topic so far: a marker is published after it and pulled up to. */
  List<PubsubMessage> drain(String topic) {
    return cloud.pullPublishedSoFar(topic, topic + "-sub", WAIT);
  }

  /** Event types with their job ids, e.g. {@code job.state_changed JOB_STATE_RUNNING <jobId>}. */
  List<String> events() {
    return drain("events").stream().map(PollFixture::describeEvent).toList();
  }

  static String describeEvent(PubsubMessage event) {
    JsonNode data = json(event.getData().toStringUtf8()).path("data");
    String type = event.getAttributesOrThrow("type");
    String detail =
        switch (type) {
          case "job.state_changed" -> data.path("state").asText();
          case "job.stuck" -> data.path("threshold").asText();
          default -> "";
        };
    return type + " " + detail + " " + event.getAttributesOrDefault("job_id", "");
  }

  static JsonNode json(String text) {
    try {
      return JSON.readTree(text);
    } catch (Exception e) {
      throw new IllegalArgumentException(e);
    }
  }

  /** The reason an event's data gives ({@code job.stuck} carries one), or "" without one. */
  static String reason(PubsubMessage event) {
    return json(event.getData().toStringUtf8()).at("/data/reason").asText();
  }

  /** The {@link #reason} of the event about {@code job}; fails when none is about it. */
  static String reasonFor(List<PubsubMessage> events, JobId job) {
    return events.stream()
        .filter(e -> e.getAttributesOrThrow("job_id").equals(job.value()))
        .map(PollFixture::reason)
        .findFirst()
        .orElseThrow();
  }

  record Tracked(JobId jobId, String vertexName) {}
}
