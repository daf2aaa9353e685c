package io.batchdrop.bench.coldstart;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.cloud.aiplatform.v1.BatchPredictionJob;
import com.google.cloud.aiplatform.v1.CompletionStats;
import com.google.cloud.aiplatform.v1.JobState;
import com.google.cloud.aiplatform.v1.ListBatchPredictionJobsRequest;
import com.google.cloud.storage.BlobId;
import com.google.protobuf.ByteString;
import com.google.protobuf.Timestamp;
import com.google.pubsub.v1.PubsubMessage;
import io.batchdrop.cloud.CloudClients;
import io.batchdrop.cloud.config.BatchdropConfig;
import io.batchdrop.poll.ObservationStep;
import io.batchdrop.submit.FinalizeEventStep;
import io.batchdrop.submit.SubmitFunction;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import java.lang.management.ClassLoadingMXBean;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * Where a cold instance's first event goes, one step at a time, in a fresh JVM whose class path is
 * submit's shaded jar (then poll's, for poll's own step, and the invoker's, for the CloudEvent API;
 * plus this class): submit's and poll's own first steps with an event, building each client, its
 * first call against the local cloud, and the same call again once warm. Each line: step, wall ms,
 * process CPU ms, classes loaded. Steps run in submit's order, so a class two clients share (gRPC,
 * netty, protobuf) counts for the first that loads it. Started by {@link ColdStartBenchmark} with
 * the deployment's environment; prints only, asserts nothing.
 */
public final class FirstUseBreakdown {
  private static final ClassLoadingMXBean CLASSES = ManagementFactory.getClassLoadingMXBean();
  private static final com.sun.management.OperatingSystemMXBean OS =
      (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

  private FirstUseBreakdown() {}

  public static void main(String[] args) throws Exception {
    print(
        "JVM start → main",
        ManagementFactory.getRuntimeMXBean().getUptime(),
        OS.getProcessCpuTime() / 1e6,
        CLASSES.getTotalLoadedClassCount());
    BatchdropConfig config =
        step(
            "configuration",
            () -> BatchdropConfig.forFunction(BatchdropConfig.Reader.SUBMIT, System.getenv()));
    // What the invoker does before the port opens: submit's constructor reads the price table
    // (Jackson's ObjectMapper, before any event); its clients stay unbuilt.
    SubmitFunction function = step("submit: constructed", () -> new SubmitFunction(config));
    CloudClients clients = new CloudClients(config);
    // What Eventarc POSTs for an upload (int64 fields as strings), built outside the steps: the
    // invoker builds the CloudEvent, the hello floor does that too.
    String event =
        "{\"kind\":\"storage#object\",\"id\":\"b/incoming/x.jsonl/1700000000000001\","
            + "\"selfLink\":\"https://www.googleapis.com/storage/v1/b/b/o/incoming%2Fx.jsonl\","
            + "\"name\":\"incoming/x.jsonl\",\"bucket\":\"b\",\"generation\":\"1700000000000001\","
            + "\"metageneration\":\"1\",\"contentType\":\"application/jsonl\","
            + "\"timeCreated\":\"2026-12-01T10:00:00.000Z\",\"updated\":\"2026-12-01T10:00:00.000Z\","
            + "\"storageClass\":\"STANDARD\",\"size\":\"352\",\"md5Hash\":\"XrY7u+Ae7tCTyyK7j1rNww==\","
            + "\"crc32c\":\"AAAAAA==\",\"etag\":\"CAE=\",\"metadata\":{\"batchdrop-model\":\"m\"}}";
    CloudEvent finalized =
        CloudEventBuilder.v1()
            .withId("breakdown")
            .withType("google.cloud.storage.object.v1.finalized")
            .withSource(URI.create("//storage.googleapis.com/projects/_/buckets/b"))
            .withData("application/json", event.getBytes(StandardCharsets.UTF_8))
            .build();
    step("submit: the finalize event (FinalizeEvent)", () -> FinalizeEventStep.parse(finalized));
    step(
        "Jackson first tree + write",
        () -> new ObjectMapper().writeValueAsString(new ObjectMapper().readTree(event)));
    step("Firestore: build", clients::firestore);
    Callable<Object> firestoreGet =
        () -> clients.firestore().document("runs/breakdown").get().get(30, TimeUnit.SECONDS);
    step("Firestore: first get", firestoreGet);
    step("Firestore: get, warm", firestoreGet);
    step("Storage: build", clients::storage);
    Callable<Object> storageGet = () -> clients.storage().get(BlobId.of(config.workBucket(), "x"));
    step("Storage: first get", storageGet);
    step("Storage: get, warm", storageGet);
    step("Vertex: build", clients::jobService);
    Callable<Object> vertexList =
        () ->
            clients
                .jobService()
                .listBatchPredictionJobsCallable()
                .call(
                    ListBatchPredictionJobsRequest.newBuilder()
                        .setParent(
                            "projects/" + config.projectId() + "/locations/" + config.location())
                        .setPageSize(1)
                        .build());
    step("Vertex: first list", vertexList);
    step("Vertex: list, warm", vertexList);
    BatchPredictionJob job =
        BatchPredictionJob.newBuilder()
            .setName("projects/p/locations/l/batchPredictionJobs/1")
            .setState(JobState.JOB_STATE_RUNNING)
            .setCompletionStats(CompletionStats.newBuilder().setSuccessfulCount(2))
            .setCreateTime(Timestamp.newBuilder().setSeconds(1_700_000_000L))
            .setStartTime(Timestamp.newBuilder().setSeconds(1_700_000_060L))
            .setUpdateTime(Timestamp.newBuilder().setSeconds(1_700_000_120L))
            .build();
    step("poll: digest a Vertex answer (Observation)", () -> ObservationStep.digest(job));
    step("poll: digest, warm", () -> ObservationStep.digest(job));
    String topic = config.topics().events();
    step("Pub/Sub: build publisher", () -> clients.publisher(topic));
    Callable<Object> publish =
        () ->
            clients
                .publisher(topic)
                .publish(
                    PubsubMessage.newBuilder()
                        .setData(ByteString.copyFromUtf8("{}"))
                        .putAttributes("type", "bench.breakdown")
                        .build())
                .get(30, TimeUnit.SECONDS);
    step("Pub/Sub: first publish", publish);
    step("Pub/Sub: publish, warm", publish);
    clients.close();
    function.close();
  }

  private static <T> T step(String name, Callable<T> work) throws Exception {
    long wall = System.nanoTime();
    long cpu = OS.getProcessCpuTime();
    long classes = CLASSES.getTotalLoadedClassCount();
    T result = work.call();
    print(
        name,
        (System.nanoTime() - wall) / 1e6,
        (OS.getProcessCpuTime() - cpu) / 1e6,
        CLASSES.getTotalLoadedClassCount() - classes);
    return result;
  }

  private static void print(String name, double wall, double cpu, long classes) {
    System.out.println(
        String.format(Locale.ROOT, "breakdown|%s|%.0f|%.0f|%d", name, wall, cpu, classes));
  }
}
