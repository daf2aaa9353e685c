package io.batchdrop.cli;

import com.google.cloud.aiplatform.v1.BatchPredictionJob;
import com.google.cloud.firestore.DocumentSnapshot;
import com.google.cloud.firestore.QueryDocumentSnapshot;
import com.google.cloud.storage.Blob;
import com.google.cloud.storage.BlobInfo;
import com.google.pubsub.v1.PubsubMessage;
import io.batchdrop.cloud.config.BatchdropConfig;
import io.batchdrop.cloud.firestore.Timestamps;
import io.batchdrop.cloud.jobs.HandOffMessage;
import io.batchdrop.cloud.jobs.JobDoc;
import io.batchdrop.cloud.jobs.VertexStates;
import io.batchdrop.cloud.run.RunId;
import io.batchdrop.publish.PublishFunction;
import io.batchdrop.submit.SubmitFunction;
import io.batchdrop.testing.Jsonl;
import io.batchdrop.testing.LocalCloud;
import io.batchdrop.testing.LocalDeployment;
import io.batchdrop.testing.MessagePublishedEvent;
import io.batchdrop.testing.RunDocuments;
import io.batchdrop.testing.StorageEvents;
import io.cloudevents.CloudEvent;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;

/**
 * Batchdrop on the local cloud, driven as the platform would: uploads go through the real {@code
 * submit} function, Vertex (the emulator) runs the jobs, finished jobs are recorded as {@code poll}
 * records them and handed to the real {@code publish}. The command line runs in-process with the
 * environment the local stack prints.
 */
final class OpsFixture implements AutoCloseable {
  static final String PREFIX = "incoming/";
  static final Duration WAIT = Duration.ofSeconds(60);

  final LocalCloud cloud;
  private final LocalDeployment deployment;

  OpsFixture(LocalCloud cloud) {
    this.cloud = cloud;
    this.deployment = LocalDeployment.create(cloud);
    deployment.configure(
        Map.of("BATCHDROP_INBOX_PREFIX", PREFIX, "BATCHDROP_MAX_INVALID_RATIO", "0.5"));
    cloud.vertexEmulator().knobs().delays(Duration.ZERO, Duration.ZERO);
  }

  @Override
  public void close() {
    deployment.close();
  }

  /** Adds or replaces settings for the commands and functions run afterwards. */
  void configure(Map<String, String> settings) {
    deployment.configure(settings);
  }

  Map<String, String> environment() {
    return deployment.environment();
  }

  BatchdropConfig config() {
    return BatchdropConfig.fromEnvironment(environment());
  }

  /** What one command printed and returned. */
  record Result(int code, String out, String err) {}

  Result cli(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code =
        Main.run(
            args,
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8),
            environment());
    return new Result(
        code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  /** Uploads the content as a user would and runs submit on it, as the finalize event would. */
  RunId submit(String name, String content) throws Exception {
    Blob blob =
        cloud
            .storage()
            .create(
                BlobInfo.newBuilder(LocalDeployment.INBOX, PREFIX + name).build(),
                content.getBytes(StandardCharsets.UTF_8));
    deliver(blob);
    return RunId.of(blob.getBucket(), blob.getName(), blob.getGeneration());
  }

  /** The finalize event of an object already in the inbox, delivered to submit. */
  void deliver(Blob blob) throws Exception {
    try (SubmitFunction submit = new SubmitFunction(config())) {
      submit.accept(finalized(blob));
    }
  }

  /** Waits until an object appears under the inbox prefix (uploaded by the command line). */
  Blob awaitUpload(String name) {
    Instant deadline = Instant.now().plus(WAIT);
    while (Instant.now().isBefore(deadline)) {
      Blob blob = cloud.storage().get(LocalDeployment.INBOX, PREFIX + name);
      if (blob != null) {
        return blob;
      }
      LockSupport.parkNanos(20_000_000L); // polls storage, as Eventarc's delivery would follow
    }
    throw new AssertionError(PREFIX + name + " was not uploaded within " + WAIT);
  }

  /** Records every finished job of the run as poll does, hands it to publish, until closed. */
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

  /** Records each job's current Vertex state as poll would (running jobs stay active). */
  void observeJobs(RunId run) throws Exception {
    for (QueryDocumentSnapshot doc : jobs(run)) {
      String name = doc.getString(JobDoc.VERTEX_NAME);
      if (name == null) {
        continue;
      }
      BatchPredictionJob job = cloud.jobService().getBatchPredictionJob(name);
      Map<String, Object> fields = new HashMap<>();
      fields.put(JobDoc.STATE, job.getState().name());
      fields.put(JobDoc.STATE_VALUE, job.getStateValue());
      fields.put(JobDoc.STATE_CHANGED_AT, Timestamps.of(Instant.now()));
      if (job.hasStartTime()) {
        fields.put(
            JobDoc.VERTEX_START_TIME,
            Timestamps.of(Instant.ofEpochSecond(job.getStartTime().getSeconds())));
      }
      fields.put(JobDoc.COMPLETION_STATS, stats(job));
      doc.getReference().update(fields).get();
    }
  }

  /** {@code completionStats} as poll records it. */
  private static Map<String, Object> stats(BatchPredictionJob job) {
    return Map.of(
        "successfulCount", job.getCompletionStats().getSuccessfulCount(),
        "failedCount", job.getCompletionStats().getFailedCount(),
        "incompleteCount", job.getCompletionStats().getIncompleteCount());
  }

  List<HandOffMessage> finishJobs(RunId run) throws Exception {
    List<HandOffMessage> handOffs = new ArrayList<>();
    for (QueryDocumentSnapshot doc : jobs(run)) {
      if (Boolean.TRUE.equals(doc.getBoolean(JobDoc.PUBLISH_DONE))) {
        continue;
      }
      if (JobDoc.CREATE_FAILED.equals(doc.getString(JobDoc.STATE))) {
        handOffs.add(HandOffMessage.from(doc));
        continue;
      }
      BatchPredictionJob job = awaitTerminal(doc.getString(JobDoc.VERTEX_NAME));
      Map<String, Object> fields = new HashMap<>();
      fields.put(JobDoc.STATE, job.getState().name());
      fields.put(JobDoc.STATE_VALUE, job.getStateValue());
      fields.put(JobDoc.OUTPUT_DIRECTORY, job.getOutputInfo().getGcsOutputDirectory());
      fields.put(JobDoc.STATE_CHANGED_AT, Timestamps.of(Instant.now()));
      fields.put(JobDoc.COMPLETION_STATS, stats(job));
      fields.put(JobDoc.ACTIVE, false);
      fields.put(JobDoc.PUBLISH_DONE, false);
      fields.put(JobDoc.HANDOFF_AT, Timestamps.of(Instant.EPOCH));
      doc.getReference().update(fields).get();
      handOffs.add(HandOffMessage.from(doc.getReference().get().get()));
    }
    return handOffs;
  }

  BatchPredictionJob awaitTerminal(String vertexName) {
    Instant deadline = Instant.now().plus(WAIT);
    while (Instant.now().isBefore(deadline)) {
      BatchPredictionJob job = cloud.jobService().getBatchPredictionJob(vertexName);
      if (VertexStates.isTerminal(job)) {
        return job;
      }
      LockSupport.parkNanos(20_000_000L); // polls Vertex, as poll does
    }
    throw new AssertionError("job " + vertexName + " did not finish within " + WAIT);
  }

  List<QueryDocumentSnapshot> jobs(RunId run) throws Exception {
    return RunDocuments.jobs(cloud, run.value());
  }

  DocumentSnapshot run(RunId run) throws Exception {
    return RunDocuments.run(cloud, run.value());
  }

  List<PubsubMessage> results(int expected) {
    return cloud.pull("results-sub", expected, WAIT);
  }

  /** Whatever else was published so far: a test that expects none sees none. */
  List<PubsubMessage> moreResults() {
    return cloud.pullPublishedSoFar("results", "results-sub", WAIT);
  }

  static CloudEvent event(HandOffMessage handOff) {
    return MessagePublishedEvent.published(handOff.encode(), "completions");
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

  static final String BAD_ROLE =
      "{\"request\": {\"contents\": [{\"role\": \"tester\", \"parts\": [{\"text\": \"x\"}]}]}}\n";
}
