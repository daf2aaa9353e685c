package io.batchdrop.bench.coldstart;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.cloud.aiplatform.v1.ListBatchPredictionJobsRequest;
import com.google.cloud.storage.BlobId;
import com.google.events.cloud.storage.v1.StorageObjectData;
import com.google.protobuf.ByteString;
import com.google.protobuf.util.JsonFormat;
import com.google.pubsub.v1.PubsubMessage;
import io.batchdrop.cloud.CloudClients;
import io.batchdrop.cloud.config.BatchdropConfig;
import java.lang.management.ClassLoadingMXBean;
import java.lang.management.ManagementFactory;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * Where a cold instance's first event goes, one step at a time, in a fresh JVM whose class path is
 * a function's shaded jar (plus this class): building each client, its first call against the local
 * cloud, and the same call again once warm. Each line: step, wall ms, process CPU ms, classes
 * loaded. Steps run in submit's order, so a class two clients share (gRPC, netty, protobuf) counts
 * for the first that loads it. Started by {@link ColdStartBenchmark} with the deployment's
 * environment; prints only, asserts nothing.
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
            "config + CloudClients",
            () -> BatchdropConfig.forFunction(BatchdropConfig.Reader.SUBMIT, System.getenv()));
    CloudClients clients = new CloudClients(config);
    String event =
        "{\"bucket\":\"b\",\"name\":\"incoming/x.jsonl\",\"generation\":\"1\",\"size\":\"3\"}";
    step(
        "finalize event (JsonFormat)",
        () -> {
          StorageObjectData.Builder data = StorageObjectData.newBuilder();
          JsonFormat.parser().ignoringUnknownFields().merge(event, data);
          return data.build();
        });
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
