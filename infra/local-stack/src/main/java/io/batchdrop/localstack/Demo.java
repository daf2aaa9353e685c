package io.batchdrop.localstack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.cloud.firestore.DocumentSnapshot;
import com.google.cloud.storage.Blob;
import com.google.pubsub.v1.PubsubMessage;
import io.batchdrop.cloud.run.RunDoc;
import io.batchdrop.cloud.run.RunId;
import io.batchdrop.testing.LocalCloud;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code ./batchdrop demo [FILE] [--json]}: runs a file (the sample by default) through the whole
 * local stack — submit from the finalize event, poll on scheduler ticks, publish through the
 * completions bridge, retries included — and prints what subscribers receive: every event, one line
 * per row, then the closed run with its counts, tokens and cost.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = "Run a file through the whole local stack and print what subscribers receive.")
public final class Demo implements Callable<Integer> {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration DEADLINE = Duration.ofSeconds(240);
  private static final Duration DRAIN = Duration.ofSeconds(120);

  /** The sample sets 2 of its 9 rows aside: above the default 10 %, so the demo allows 30 %. */
  public static final String DEFAULT_INVALID_RATIO = "0.3";

  /** What the demo saw, for its test and for {@code --json}. */
  public record Outcome(
      String runState,
      DocumentSnapshot run,
      List<String> eventTypes,
      List<PubsubMessage> events,
      List<PubsubMessage> results) {}

  @Parameters(arity = "0..1", paramLabel = "FILE", description = "JSONL file (default: the sample)")
  Path file;

  @Option(
      names = "--json",
      description = "end with one JSON line: the run, every result, every event")
  boolean json;

  @Option(
      names = "--max-invalid-ratio",
      paramLabel = "R",
      converter = RatioConverter.class,
      description = "the deployment's invalid-row threshold for this demo (default 0.3)")
  String maxInvalidRatio = DEFAULT_INVALID_RATIO;

  @Option(
      names = "--backend",
      paramLabel = "NAME",
      converter = BackendConverter.class,
      description = "the deployment's batch backend: vertex (default) or gemini-api")
  String backend = "vertex";

  @Spec CommandSpec spec;

  private LocalStack stack;
  private PrintStream out = System.out;

  public Demo() {}

  public Demo(LocalStack stack, PrintStream out) {
    this.stack = stack;
    this.out = out;
  }

  /**
   * {@code BATCHDROP_MAX_INVALID_RATIO} takes a number from 0 to 1; anything else would only stop
   * submit from starting, after the whole stack had come up.
   */
  static final class RatioConverter implements ITypeConverter<String> {
    @Override
    public String convert(String value) {
      try {
        double ratio = Double.parseDouble(value);
        if (ratio >= 0 && ratio <= 1) {
          return value;
        }
      } catch (NumberFormatException e) {
        // refused below, with the expected form
      }
      throw new TypeConversionException(
          "\"" + value + "\" is not a number from 0 to 1 (e.g. " + DEFAULT_INVALID_RATIO + ")");
    }
  }

  /** A usage error like any other: on stderr with the usage, not in the report. */
  static final class BackendConverter implements ITypeConverter<String> {
    @Override
    public String convert(String value) {
      if (List.of("vertex", "gemini-api").contains(value)) {
        return value;
      }
      throw new TypeConversionException("\"" + value + "\"; expected vertex or gemini-api");
    }
  }

  public static Map<String, String> settings(String maxInvalidRatio) {
    return settings(maxInvalidRatio, "vertex");
  }

  /**
   * With {@code backend} as {@code BATCHDROP_BACKEND}; both backends are allowed, so a file may
   * still ask for the other with object metadata {@code batchdrop-backend}.
   */
  public static Map<String, String> settings(String maxInvalidRatio, String backend) {
    return Map.of(
        "BATCHDROP_MAX_INVALID_RATIO", maxInvalidRatio,
        "BATCHDROP_BACKEND", backend,
        "BATCHDROP_ALLOWED_BACKENDS", "vertex,gemini-api");
  }

  public static void main(String[] args) {
    LibraryLogging.quiet();
    // Only after the stack is closed (inside call): exiting earlier would leave its processes.
    System.exit(new CommandLine(new Demo()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    byte[] content;
    String name;
    if (file == null) {
      try (InputStream in = Demo.class.getResourceAsStream("/sample.jsonl")) {
        content = in.readAllBytes();
      }
      name = "sample.jsonl";
    } else {
      String unreadable =
          Files.isDirectory(file)
              ? "is a directory"
              : !Files.exists(file)
                  ? "no such file"
                  : !Files.isReadable(file) ? "permission denied" : null;
      if (unreadable != null) {
        spec.commandLine().getErr().println("batchdrop: cannot read " + file + ": " + unreadable);
        return 2;
      }
      content = Files.readAllBytes(file);
      name = objectName(file);
    }
    PrintStream report = json ? System.err : System.out;
    report.println(
        "starting the local cloud: official Pub/Sub and Firestore emulators, our Cloud Storage"
            + " and Vertex AI emulators, submit, poll and publish on the Functions Framework"
            + " invoker…");
    Outcome outcome;
    LocalCloud cloud;
    LocalStack deployed;
    try {
      cloud = LocalCloud.start();
    } catch (RuntimeException e) {
      return notStarted(e);
    }
    try (cloud) {
      try {
        deployed = LocalStack.deploy(cloud, settings(maxInvalidRatio, backend));
      } catch (Exception e) {
        return notStarted(e);
      }
      try (deployed) {
        this.stack = deployed;
        this.out = report;
        outcome = run(name, content);
      }
    }
    if (json) {
      System.out.println(toJson(outcome));
    }
    return exitCode(outcome.run().getString(RunDoc.STATE), outcome.run().getBoolean(RunDoc.CLOSED));
  }

  /**
   * 0 when the run closed with every row's outcome; 1 otherwise, a rejected file included: none of
   * its rows ran, and a script running the demo on its own file must see that.
   */
  static int exitCode(String state, Boolean closed) {
    return Boolean.TRUE.equals(closed) && !"REJECTED".equals(state) ? 0 : 1;
  }

  /**
   * A stack that did not start (an emulator component not installed, a function that exits at
   * start) is one line, as {@code up} prints it: the stack trace says nothing a user can act on.
   */
  private int notStarted(Exception failure) {
    spec.commandLine()
        .getErr()
        .println("batchdrop: the local stack did not start: " + Up.reason(failure));
    return 1;
  }

  public Outcome run(String name, byte[] content) throws Exception {
    return run(name, content, Map.of());
  }

  /** With object metadata on the upload, e.g. {@code batchdrop-backend}. */
  public Outcome run(String name, byte[] content, Map<String, String> metadata) throws Exception {
    LocalCloud cloud = stack.cloud();
    Blob blob = stack.upload(name, content, metadata);
    RunId runId = RunId.of(blob.getBucket(), blob.getName(), blob.getGeneration());
    out.printf(
        "%nuploaded gs://%s/%s (%d bytes); run %s%n",
        blob.getBucket(), blob.getName(), blob.getSize(), runId.value());
    out.println("the storage emulator sends its finalize CloudEvent to submit, as Eventarc would");

    List<PubsubMessage> events = new ArrayList<>();
    List<PubsubMessage> results = new ArrayList<>();
    Instant deadline = Instant.now().plus(DEADLINE);
    while (Instant.now().isBefore(deadline)) {
      events.addAll(printEvents(cloud.pull("events-sub", 100, Duration.ofSeconds(2))));
      results.addAll(cloud.pull("results-sub", 1000, Duration.ofMillis(200)));
      printHandOffs(cloud.pull("completions-sub", 100, Duration.ofMillis(200)));
      DocumentSnapshot run = runDoc(runId);
      if (run.exists() && (announced(run) || "REJECTED".equals(run.getString(RunDoc.STATE)))) {
        break;
      }
      String state = run.exists() ? run.getString(RunDoc.STATE) : "";
      if (!state.isEmpty() && !"VALIDATING".equals(state)) {
        out.println("[scheduler] tick → poll answered " + stack.tick());
      }
    }
    // Everything is published by now (results before the run closes, run.completed before it is
    // marked announced), but not all of it pulled: a big file's results outrun the loop's pulls.
    DocumentSnapshot closedRun = runDoc(runId);
    long rows = resultsExpected(closedRun.getString(RunDoc.STATE), closedRun.get(RunDoc.COUNTS));
    boolean completedSeen = !announced(closedRun) || completed(events);
    events.addAll(
        printEvents(drain("events", "events-sub", got -> completedSeen || completed(got))));
    Set<String> rowsSeen = new HashSet<>();
    results.forEach(m -> rowsSeen.add(m.getAttributesMap().getOrDefault("row", "")));
    results.addAll(
        drain(
            "results",
            "results-sub",
            got -> {
              Set<String> all = new HashSet<>(rowsSeen);
              got.forEach(m -> all.add(m.getAttributesMap().getOrDefault("row", "")));
              return all.size() >= rows;
            }));
    printResults(results);
    DocumentSnapshot run = runDoc(runId);
    out.println();
    out.println(
        runLine(
            runId.value(),
            run.getString(RunDoc.STATE),
            run.getString(RunDoc.REASON),
            run.get(RunDoc.COUNTS),
            run.get(RunDoc.TOKENS),
            run.get(RunDoc.COST)));
    List<String> types = events.stream().map(e -> e.getAttributesOrThrow("type")).toList();
    return new Outcome(run.getString(RunDoc.STATE), run, types, events, results);
  }

  /**
   * The report's last line: the run's state, counts, tokens and cost; for a rejected file, which
   * ran nothing, its state, the reason and its rows.
   */
  static String runLine(
      String runId, String state, String reason, Object counts, Object tokens, Object cost) {
    if ("REJECTED".equals(state)) {
      return String.format("runs/%s: state %s: %s; %s", runId, state, reason, countsText(counts));
    }
    return String.format(
        "runs/%s: state %s, %s, tokens %s, cost %s",
        runId, state, countsText(counts), tokens, cost);
  }

  /**
   * The name FILE is uploaded under, below the inbox prefix: its own, with {@code .jsonl} added
   * when it lacks it, since submit ignores any other object and the demo would wait for a run that
   * never comes.
   */
  static String objectName(Path file) {
    String name = file.getFileName().toString();
    return name.endsWith(".jsonl") ? name : name + ".jsonl";
  }

  /**
   * The run's counts as the report's last line shows them: rows as the sum of the outcomes, so a
   * user sees every row has one. The document's {@code published} (submit's count of invalid rows
   * sent) is bookkeeping and left out; a rejected run has no outcomes, only its rows.
   */
  static String countsText(Object counts) {
    if (!(counts instanceof Map<?, ?> c)) {
      return "no counts";
    }
    String rows = "rows " + c.get("rows");
    String found = "valid " + c.get("valid") + ", warnings " + c.get("warnings");
    if (!c.containsKey("succeeded")) {
      return rows + " (" + found + ", invalid " + c.get("invalid") + ")";
    }
    return rows
        + " = succeeded "
        + c.get("succeeded")
        + " + failed "
        + c.get("failed")
        + " + invalid "
        + c.get("invalid")
        + " + missing "
        + c.get("missing")
        + " ("
        + found
        + ")";
  }

  /** Closed, and run.completed sent (a rejected run has sent run.rejected before its state). */
  private static boolean announced(DocumentSnapshot run) {
    return Boolean.TRUE.equals(run.getBoolean(RunDoc.CLOSED))
        && Boolean.TRUE.equals(run.getBoolean(RunDoc.COMPLETED_ANNOUNCED));
  }

  private static boolean completed(List<PubsubMessage> events) {
    return events.stream().anyMatch(e -> "run.completed".equals(e.getAttributesMap().get("type")));
  }

  /**
   * How many result messages the drain waits for: the run's rows, 0 when not yet counted; none for
   * a rejected file, whose rows are counted but never published (waiting for them took the drain's
   * whole two minutes).
   */
  static long resultsExpected(String state, Object counts) {
    if ("REJECTED".equals(state)) {
      return 0;
    }
    if (counts instanceof Map<?, ?> map && map.get("rows") instanceof Number n) {
      return n.longValue();
    }
    return 0;
  }

  /**
   * Every message published on {@code topic} so far that {@code subscription} has not delivered: a
   * marker is published after them and pulled up to, in batches; markers are left out. The marker
   * alone is not enough: Pub/Sub does not deliver in publish order, and a message leased to a pull
   * whose call timed out comes again only after its ack deadline, after the marker. So the drain
   * also goes on until {@code complete} holds for what it received (every row's result, the run's
   * last event), or its deadline passes and the demo reports what it got.
   */
  private List<PubsubMessage> drain(
      String topic, String subscription, Predicate<List<PubsubMessage>> complete) throws Exception {
    LocalCloud cloud = stack.cloud();
    String marker = "demo-" + UUID.randomUUID();
    cloud
        .publisher(topic)
        .publish(PubsubMessage.newBuilder().putAttributes(LocalCloud.MARKER, marker).build())
        .get(DRAIN.toSeconds(), TimeUnit.SECONDS);
    List<PubsubMessage> received = new ArrayList<>();
    Instant deadline = Instant.now().plus(DRAIN);
    boolean seen = false;
    while (!(seen && complete.test(received)) && Instant.now().isBefore(deadline)) {
      for (PubsubMessage message : cloud.pull(subscription, 1000, Duration.ofSeconds(1))) {
        String attribute = message.getAttributesMap().get(LocalCloud.MARKER);
        if (marker.equals(attribute)) {
          seen = true;
        } else if (attribute == null) {
          received.add(message);
        }
      }
    }
    if (!(seen && complete.test(received))) {
      out.println("[demo] " + subscription + " was not drained within " + DRAIN.toSeconds() + " s");
    }
    return received;
  }

  private List<PubsubMessage> printEvents(List<PubsubMessage> messages) throws Exception {
    for (PubsubMessage message : messages) {
      JsonNode data = JSON.readTree(message.getData().toByteArray()).path("data");
      out.printf("[events]      %-17s %s%n", message.getAttributesOrThrow("type"), data);
    }
    return messages;
  }

  /** One line per row, in row order: what a subscriber of the results topic received. */
  private void printResults(List<PubsubMessage> results) throws Exception {
    List<PubsubMessage> sorted = new ArrayList<>(results);
    sorted.sort(Comparator.comparingLong(m -> Long.parseLong(m.getAttributesOrThrow("row"))));
    out.printf("%n[results] %d messages:%n", sorted.size());
    for (PubsubMessage message : sorted) {
      out.println(rowLine(message));
    }
  }

  /**
   * The report's line for one result message: row, key, attempt, status, then the answer or why
   * not.
   */
  static String rowLine(PubsubMessage message) throws Exception {
    JsonNode data = JSON.readTree(message.getData().toByteArray());
    String status = message.getAttributesOrThrow("status");
    String detail =
        oneLine(
            status.equals("succeeded")
                ? data.at("/response/candidates/0/content/parts/0/text").asText("")
                : data.at("/error/message").asText(""));
    return String.format(
        "  row %-3s key %-12s attempt %s  %-9s %s",
        message.getAttributesOrThrow("row"),
        oneLine(message.getAttributesOrThrow("key")),
        message.getAttributesOrThrow("attempt"),
        status,
        // A model's answer may run to pages, so it is cut; why a row failed or was set aside is
        // shown whole (findings already cut user text), since its end says what was expected.
        status.equals("succeeded") && detail.length() > 120
            ? detail.substring(0, 120) + "…"
            : detail);
  }

  /**
   * Control characters as escapes (a line break as backslash n, ESC as its code point in hex): an
   * answer's line breaks would split its row over several lines, and a terminal would act on its
   * escape sequences.
   */
  private static String oneLine(String text) {
    StringBuilder line = new StringBuilder(text.length());
    text.codePoints()
        .forEach(
            c -> {
              switch (c) {
                case '\n' -> line.append("\\n");
                case '\r' -> line.append("\\r");
                case '\t' -> line.append("\\t");
                default -> {
                  if (Character.isISOControl(c) || c == 0x2028 || c == 0x2029) {
                    line.append(String.format("\\u%04x", c));
                  } else {
                    line.appendCodePoint(c);
                  }
                }
              }
            });
    return line.toString();
  }

  private void printHandOffs(List<PubsubMessage> messages) {
    for (PubsubMessage message : messages) {
      out.printf(
          "[completions] %s → publish%n", message.getData().toString(StandardCharsets.UTF_8));
    }
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

  /**
   * {@code {"run": {...}, "results": [{"attributes", "data"}...], "events": [{"type",
   * "data"}...]}}.
   */
  static String toJson(Outcome outcome) throws Exception {
    ObjectNode root = JSON.createObjectNode();
    Map<String, Object> run = new java.util.TreeMap<>();
    run.put("runId", outcome.run().getId());
    for (String field :
        List.of(
            RunDoc.STATE,
            RunDoc.REASON,
            RunDoc.COUNTS,
            RunDoc.TOKENS,
            RunDoc.COST,
            RunDoc.MODEL,
            RunDoc.REPORT_URI,
            RunDoc.INVALID_URI,
            RunDoc.JOB_IDS)) {
      run.put(field, outcome.run().get(field));
    }
    root.set("run", JSON.valueToTree(run));
    ArrayNode results = root.putArray("results");
    for (PubsubMessage message : outcome.results()) {
      ObjectNode result = results.addObject();
      result.set("attributes", JSON.valueToTree(message.getAttributesMap()));
      result.set("data", JSON.readTree(message.getData().toByteArray()));
    }
    ArrayNode events = root.putArray("events");
    for (PubsubMessage message : outcome.events()) {
      JsonNode envelope = JSON.readTree(message.getData().toByteArray());
      events
          .addObject()
          .put("type", message.getAttributesOrThrow("type"))
          .set("data", envelope.path("data"));
    }
    return JSON.writeValueAsString(root);
  }
}
