package io.batchdrop.localstack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.cloud.firestore.DocumentSnapshot;
import com.google.cloud.storage.Blob;
import com.google.cloud.storage.Storage;
import com.google.pubsub.v1.PubsubMessage;
import io.batchdrop.cloud.jobs.JobDoc;
import io.batchdrop.cloud.run.RunDoc;
import io.batchdrop.cloud.run.RunId;
import io.batchdrop.testing.LocalCloud;
import io.batchdrop.testing.LocalDeployment;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * {@code ./batchdrop demo}: runs a sample file through the local stack and prints what a subscriber
 * receives on each topic, then the run as Firestore has it and Vertex's output.
 */
public final class Demo {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration DEADLINE = Duration.ofSeconds(120);

  /** The sample sets 2 of its 8 rows aside: above the default 10 %, so the demo allows 30 %. */
  public static final Map<String, String> SETTINGS = Map.of("BATCHDROP_MAX_INVALID_RATIO", "0.3");

  /** What the demo saw, for its test. */
  public record Outcome(
      String runState,
      List<String> eventTypes,
      List<PubsubMessage> results,
      List<PubsubMessage> handOffs,
      int outputRows) {}

  private final LocalStack stack;
  private final PrintStream out;

  public Demo(LocalStack stack, PrintStream out) {
    this.stack = stack;
    this.out = out;
  }

  public static void main(String[] args) throws Exception {
    PrintStream out = System.out;
    out.println(
        "starting the local cloud: official Pub/Sub and Firestore emulators, our Cloud Storage"
            + " and Vertex AI emulators, submit, poll and publish on the Functions Framework"
            + " invoker…");
    byte[] sample;
    try (InputStream in = Demo.class.getResourceAsStream("/sample.jsonl")) {
      sample = in.readAllBytes();
    }
    Outcome outcome;
    try (LocalCloud cloud = LocalCloud.start();
        LocalStack stack = LocalStack.deploy(cloud, SETTINGS)) {
      outcome = new Demo(stack, out).run("sample.jsonl", sample);
    }
    // Only after the stack is closed: exiting inside the block would leave its processes running.
    System.exit(
        "SUBMITTED".equals(outcome.runState()) || "RUNNING".equals(outcome.runState()) ? 0 : 1);
  }

  public Outcome run(String name, byte[] content) throws Exception {
    LocalCloud cloud = stack.cloud();
    Blob blob = stack.upload(name, content);
    RunId runId = RunId.of(blob.getBucket(), blob.getName(), blob.getGeneration());
    out.printf(
        "%nuploaded gs://%s/%s (%d bytes); run %s%n",
        blob.getBucket(), blob.getName(), blob.getSize(), runId.value());
    out.println("the storage emulator sends its finalize CloudEvent to submit, as Eventarc would");

    List<String> eventTypes = new ArrayList<>();
    List<PubsubMessage> results = new ArrayList<>();
    List<PubsubMessage> handOffs = new ArrayList<>();
    Instant deadline = Instant.now().plus(DEADLINE);
    boolean submitted = false;
    while (Instant.now().isBefore(deadline)) {
      eventTypes.addAll(printEvents(cloud.pull("events-sub", 100, Duration.ofSeconds(2))));
      results.addAll(printResults(cloud.pull("results-sub", 100, Duration.ofMillis(200))));
      handOffs.addAll(printHandOffs(cloud.pull("completions-sub", 100, Duration.ofMillis(200))));
      DocumentSnapshot run = runDoc(runId);
      String state = run.exists() ? run.getString(RunDoc.STATE) : null;
      if ("REJECTED".equals(state) || "FAILED".equals(state)) {
        break;
      }
      submitted = submitted || "SUBMITTED".equals(state) || "RUNNING".equals(state);
      if (submitted) {
        if (allJobsFinished(runId) && !handOffs.isEmpty()) {
          break;
        }
        out.println("[scheduler] tick → poll answered " + stack.tick());
      }
    }
    DocumentSnapshot run = runDoc(runId);
    out.printf(
        "%nruns/%s in Firestore: state %s, counts %s, jobStates %s%n",
        runId.value(), run.getString(RunDoc.STATE), run.get(RunDoc.COUNTS), run.get("jobStates"));
    int outputRows = printVertexOutput(cloud.storage(), runId);
    return new Outcome(run.getString(RunDoc.STATE), eventTypes, results, handOffs, outputRows);
  }

  private List<String> printEvents(List<PubsubMessage> messages) throws Exception {
    List<String> types = new ArrayList<>();
    for (PubsubMessage message : messages) {
      String type = message.getAttributesOrThrow("type");
      types.add(type);
      JsonNode data =
          JSON.readTree(message.getData().toString(StandardCharsets.UTF_8)).path("data");
      out.printf("[events]      %-17s %s%n", type, data);
    }
    return types;
  }

  private List<PubsubMessage> printResults(List<PubsubMessage> messages) throws Exception {
    for (PubsubMessage message : messages) {
      JsonNode data = JSON.readTree(message.getData().toString(StandardCharsets.UTF_8));
      out.printf(
          "[results]     row %s key %s: %s — %s%n",
          message.getAttributesOrThrow("row"),
          message.getAttributesOrThrow("key"),
          message.getAttributesOrThrow("status"),
          data.at("/error/message").asText(""));
    }
    return messages;
  }

  private List<PubsubMessage> printHandOffs(List<PubsubMessage> messages) {
    for (PubsubMessage message : messages) {
      out.printf(
          "[completions] %s → publish%n", message.getData().toString(StandardCharsets.UTF_8));
    }
    return messages;
  }

  private DocumentSnapshot runDoc(RunId runId) throws Exception {
    return stack
        .cloud()
        .firestore()
        .collection(RunDoc.COLLECTION)
        .document(runId.value())
        .get()
        .get();
  }

  private boolean allJobsFinished(RunId runId) throws Exception {
    var jobs =
        stack
            .cloud()
            .firestore()
            .collection(JobDoc.COLLECTION)
            .whereEqualTo(JobDoc.RUN_ID, runId.value())
            .get()
            .get()
            .getDocuments();
    return !jobs.isEmpty()
        && jobs.stream().noneMatch(j -> Boolean.TRUE.equals(j.getBoolean(JobDoc.ACTIVE)));
  }

  /** Vertex's own output rows: what publish (not built yet) turns into one result message each. */
  private int printVertexOutput(Storage storage, RunId runId) throws Exception {
    List<JsonNode> rows = new ArrayList<>();
    for (Blob blob :
        storage
            .list(
                LocalDeployment.WORK,
                Storage.BlobListOption.prefix("runs/" + runId.value() + "/output/"))
            .iterateAll()) {
      String file = blob.getName().substring(blob.getName().lastIndexOf('/') + 1);
      if (file.startsWith("predictions") && file.endsWith(".jsonl")) {
        for (String line : new String(blob.getContent(), StandardCharsets.UTF_8).split("\n")) {
          if (!line.isBlank()) {
            rows.add(JSON.readTree(line));
          }
        }
      }
    }
    rows.sort(Comparator.comparingLong(Demo::rowNumber));
    out.printf(
        "%nVertex output (%d rows; publish, not built yet, will send each as a result message):%n",
        rows.size());
    for (JsonNode row : rows) {
      String status = row.path("status").asText("");
      out.printf(
          "  row %-3d key %-12s %s%n",
          rowNumber(row),
          row.path("key").asText(),
          status.isEmpty()
              ? "succeeded: " + row.at("/response/candidates/0/content/parts/0/text").asText()
              : "failed: " + status);
    }
    return rows.size();
  }

  private static long rowNumber(JsonNode row) {
    String label = row.at("/request/labels/batchdrop_row").asText("row-0");
    return Long.parseLong(label.substring("row-".length()));
  }
}
