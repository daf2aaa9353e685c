package io.batchdrop.faults;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.cloud.firestore.DocumentSnapshot;
import com.google.cloud.firestore.QueryDocumentSnapshot;
import com.google.cloud.storage.Blob;
import com.google.cloud.storage.BlobInfo;
import com.google.pubsub.v1.PubsubMessage;
import io.batchdrop.cloud.jobs.JobDoc;
import io.batchdrop.cloud.run.RunDoc;
import io.batchdrop.cloud.run.RunId;
import io.batchdrop.testing.LocalCloud;
import io.batchdrop.testing.LocalDeployment;
import io.batchdrop.testing.PubSubBridge;
import io.grpc.Status;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./batchdrop faults [--rounds N] [--seed S] [--files F] [--overwrite] ...}: the whole stack
 * under faults, round after round. Each round uploads one or ({@code --files}) several files at
 * once of a few thousand rows each (several shards; some rows invalid, some failing at the backend
 * once or for good), with {@code --overwrite} the first one again seconds later, and, while they
 * run, SIGKILLs function JVMs at random moments (submit while staging or creating jobs, publish
 * mid-publish, poll mid-call), resets the functions' Firestore, Pub/Sub and Cloud Storage
 * connections at random (a TCP proxy in front of each emulator: {@link NetworkFaults}), makes
 * Vertex or Gemini API calls fail (the emulators' knobs: failed and withheld creates, failed gets)
 * and delivers events twice and late. Then the faults stop, the stack settles (poll ticking, failed
 * deliveries redelivered), and {@link InvariantChecker} says what broke, upload by upload
 * (generation by generation). The summary: rounds, faults by kind, violations (0 expected), time.
 * Exit code 0 only without violations.
 */
@Command(
    name = "faults",
    mixinStandardHelpOptions = true,
    description = "Run the local stack under injected faults and check its invariants.")
public final class FaultRun implements Callable<Integer> {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration FAULT_WINDOW = Duration.ofSeconds(240);
  private static final Duration SETTLE_LIMIT = Duration.ofMinutes(8);
  private static final int MAX_KILLS_PER_ROUND = 8;

  /** A function killed every time it starts could never finish: a few kills each per round. */
  private static final int MAX_KILLS_PER_FUNCTION = 3;

  @Option(names = "--rounds", paramLabel = "N", description = "rounds (default 5)")
  int rounds = 5;

  @Option(names = "--seed", paramLabel = "S", description = "seed (default: random, printed)")
  Long seed;

  @Option(names = "--rows", paramLabel = "R", description = "rows per file (default 2000)")
  int rows = 2000;

  @Option(
      names = "--shard-rows",
      paramLabel = "R",
      description = "BATCHDROP_MAX_ROWS_PER_JOB (default 500: 4 shards of 2000 rows)")
  int shardRows = 500;

  @Option(
      names = "--backend",
      paramLabel = "B",
      description =
          "where the batches run: vertex (default), gemini-api, or both (the files of a round"
              + " take turns)")
  String backendName = BatchJobs.Backend.VERTEX.id;

  @Option(
      names = "--files",
      paramLabel = "F",
      description =
          "files uploaded at once each round (default 1): their runs share the functions, poll's"
              + " ticks and the faults")
  int files = 1;

  @Option(
      names = "--overwrite",
      description =
          "each round, upload the first file's object again a few seconds later (a new"
              + " generation, the old one gone): the first run must either run to its end or be"
              + " rejected with nothing of it run")
  boolean overwrite;

  /** The backends the files of a round take turns on: one, or both. */
  private List<BatchJobs.Backend> backends;

  private final Tally tally = new Tally();
  private final ConcurrentLinkedQueue<PubsubMessage> results = new ConcurrentLinkedQueue<>();
  private final ConcurrentLinkedQueue<PubsubMessage> events = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean pollBusy = new AtomicBoolean();
  private final AtomicLong ticks = new AtomicLong();
  private final HttpClient http = HttpClient.newHttpClient();

  public static void main(String[] args) {
    System.exit(new CommandLine(new FaultRun()).execute(args));
  }

  /** The deployment's settings, shortened so that a killed owner is taken over within seconds. */
  Map<String, String> settings() {
    Map<String, String> s = new HashMap<>();
    s.put("BATCHDROP_INBOX_PREFIX", "incoming/");
    s.put("BATCHDROP_MAX_ROWS_PER_JOB", Integer.toString(shardRows));
    s.put("BATCHDROP_MAX_INVALID_RATIO", "0.2");
    s.put("BATCHDROP_ALLOWED_BACKENDS", "vertex,gemini-api");
    s.put("BATCHDROP_LEASE_SECONDS", "6");
    s.put("BATCHDROP_VERTEX_DEADLINE_SECONDS", "4");
    s.put("BATCHDROP_VERTEX_MAX_ATTEMPTS", "3");
    s.put("BATCHDROP_FUNCTION_TIMEOUT_SECONDS", "180");
    s.put("BATCHDROP_HANDOFF_RESEND_MINUTES", "1");
    s.put("BATCHDROP_RUN_STUCK_MINUTES", "1");
    s.put("BATCHDROP_RUN_MAX_AGE_HOURS", "0.05");
    s.put("BATCHDROP_PUBLISH_WINDOW_ROWS", "250");
    s.put("BATCHDROP_PUBLISH_BUDGET_SECONDS", "60");
    return s;
  }

  @Override
  public Integer call() throws Exception {
    backends =
        backendName.equals("both")
            ? List.of(BatchJobs.Backend.values())
            : java.util.Arrays.stream(BatchJobs.Backend.values())
                .filter(b -> b.id.equals(backendName))
                .map(List::of)
                .findFirst()
                .orElseThrow(
                    () ->
                        new CommandLine.ParameterException(
                            new CommandLine(this),
                            "--backend: expected vertex, gemini-api or both, got " + backendName));
    if (files < 1 || files > 8) {
      throw new CommandLine.ParameterException(
          new CommandLine(this), "--files: expected 1 to 8 files a round, got " + files);
    }
    long s = seed == null ? new Random().nextLong() : seed;
    System.out.println("batchdrop faults: seed " + s + " (rerun with --seed " + s + ")");
    Instant start = Instant.now();
    Path root = Path.of(System.getProperty("batchdrop.home", "."));
    Path logs =
        root.resolve("infra/faults/target/fault-logs/seed-" + s + "-" + start.toEpochMilli());
    List<String> violations = new ArrayList<>();
    int done = 0;
    try (LocalCloud cloud = LocalCloud.start()) {
      LocalDeployment deployment = LocalDeployment.create(cloud);
      try (NetworkFaults network = NetworkFaults.start(cloud.environment(), s + 1)) {
        deployment.configure(settings());
        deployment.configure(network.functionSettings());
        cloud.vertexEmulator().knobs().delays(Duration.ofSeconds(1), Duration.ofSeconds(3));
        cloud.geminiEmulator().knobs().delays(Duration.ofSeconds(1), Duration.ofSeconds(3));
        System.out.println("starting submit, poll and publish from their shaded jars…");
        try (FunctionFleet fleet = FunctionFleet.start(root, logs, deployment.environment());
            EventDelivery delivery =
                EventDelivery.start(
                    Map.of(
                        "submit", () -> fleet.uri("submit"), "publish", () -> fleet.uri("publish")),
                    s + 2,
                    tally);
            PubSubBridge bridge =
                PubSubBridge.start(
                    cloud,
                    "completions",
                    "completions-faults",
                    delivery.endpoint("publish"),
                    PubSubBridge.Settings.FAST,
                    d -> {})) {
          cloud
              .storageEmulator()
              .addNotification(LocalDeployment.INBOX, delivery.endpoint("submit"));
          ScheduledExecutorService background =
              Executors.newScheduledThreadPool(3, FaultProxy.daemon("faults-background"));
          background.scheduleWithFixedDelay(() -> tick(fleet), 1, 1, TimeUnit.SECONDS);
          background.scheduleWithFixedDelay(() -> collect(cloud), 0, 100, TimeUnit.MILLISECONDS);
          try {
            for (int round = 1; round <= rounds; round++) {
              List<String> found =
                  round(round, new Random(s * 31 + round), cloud, fleet, delivery, network);
              violations.addAll(found);
              done++;
            }
          } finally {
            cloud.storageEmulator().removeNotifications();
            background.shutdownNow();
          }
        }
      }
    }
    Duration took = Duration.between(start, Instant.now());
    System.out.println();
    System.out.println(
        "rounds:      "
            + done
            + " of "
            + rounds
            + " ("
            + rows
            + " rows a file, "
            + files
            + " file(s) a round, shards of "
            + shardRows
            + ")");
    System.out.println("seed:        " + s);
    System.out.println("faults injected:");
    tally.snapshot().forEach((kind, n) -> System.out.printf("  %6d  %s%n", n, kind));
    System.out.println("invariant violations: " + violations.size());
    violations.forEach(v -> System.out.println("  " + v));
    System.out.printf("time:        %d min %02d s%n", took.toMinutes(), took.toSecondsPart());
    boolean passed = violations.isEmpty() && done == rounds;
    if (passed) {
      deleteTree(logs);
    } else {
      System.out.println("function logs: " + logs + " (every instance's, NAME-N.log)");
    }
    return passed ? 0 : 1;
  }

  private List<String> round(
      int round,
      Random random,
      LocalCloud cloud,
      FunctionFleet fleet,
      EventDelivery delivery,
      NetworkFaults network)
      throws Exception {
    List<Upload> uploads = new ArrayList<>();
    Instant began = Instant.now();
    network.on();
    delivery.duplicateRatio(0.5);
    for (int f = 0; f < files; f++) {
      String name = "round-" + round + (files == 1 ? "" : "-file-" + (f + 1)) + ".jsonl";
      uploads.add(upload(cloud, round, name, backends.get((round + f) % backends.size()), random));
    }
    System.out.println("  faults on");
    if (overwrite) {
      Thread.sleep(random.nextInt(6000));
      Upload first = uploads.get(0);
      uploads.set(0, first.asOverwritten());
      uploads.add(upload(cloud, round, first.name(), first.backend(), random));
      System.out.println("  (overwrote " + first.name() + ")");
    }
    int kills = 0;
    Map<String, Integer> killsOf = new HashMap<>();
    Instant faultsEnd = began.plus(FAULT_WINDOW);
    while (Instant.now().isBefore(faultsEnd) && !settled(cloud, uploads, delivery)) {
      Thread.sleep(300 + random.nextInt(2200));
      // No draw for a single upload, so a seed replays the faults it drew before --files.
      Upload target =
          uploads.size() == 1 ? uploads.get(0) : uploads.get(random.nextInt(uploads.size()));
      int dice = random.nextInt(100);
      if (dice < 50 && kills < MAX_KILLS_PER_ROUND) {
        String victim = busyFunction(delivery, random);
        if (victim != null
            && !fleet.replacing(victim)
            && killsOf.merge(victim, 0, Integer::sum) < MAX_KILLS_PER_FUNCTION) {
          killsOf.merge(victim, 1, Integer::sum);
          Thread.sleep(random.nextInt(1500));
          String where = where(cloud, target.runId(), victim);
          fleet.killAndReplace(victim);
          tally.add("SIGKILL " + where);
          System.out.println("  SIGKILL " + where);
          kills++;
        }
      } else if (dice < 75) {
        if (target.backend() == BatchJobs.Backend.VERTEX) {
          vertexFault(cloud, random);
        } else {
          geminiFault(cloud, random);
        }
      } else if (dice < 90) {
        network.resetAll(tally);
      }
    }
    fleet.awaitReplacements();
    String resets = network.summary();
    network.off(tally);
    delivery.duplicateRatio(0);
    cloud.vertexEmulator().knobs().failNextCreates(0, Status.Code.UNAVAILABLE);
    cloud.vertexEmulator().knobs().failNextGets(0, Status.Code.UNAVAILABLE);
    cloud.vertexEmulator().knobs().withholdNextCreateAnswers(0);
    cloud
        .geminiEmulator()
        .knobs()
        .failNextCreates(0, 503)
        .withholdNextCreateAnswers(0)
        .failNextGets(0, 503)
        .cutNextDownloads(0)
        .failNextDownloads(0, 503)
        .processNextUploads(0, 0)
        .failNextFileDeletes(0, 503);
    System.out.println("  faults off after " + seconds(began) + " s (" + resets + "); settling");
    Instant settleEnd = Instant.now().plus(SETTLE_LIMIT);
    while (Instant.now().isBefore(settleEnd) && !settled(cloud, uploads, delivery)) {
      Thread.sleep(500);
    }
    awaitQuietResults();
    List<String> found = new ArrayList<>();
    for (Upload upload : uploads) {
      Snapshot snapshot = snapshot(cloud, upload);
      List<String> foundHere = InvariantChecker.check(snapshot);
      Snapshot.Run run = snapshot.runs().isEmpty() ? null : snapshot.runs().get(0);
      System.out.printf(
          "round %d: %s%s in %d s, counts %s, %d batch job(s), %d result message(s); %d"
              + " violation(s)%n",
          round,
          files == 1 && !overwrite ? "" : upload.name() + "#" + upload.generation() + " ",
          run == null ? "no run" : run.state(),
          seconds(began),
          run == null ? "{}" : run.counts(),
          snapshot.vertexJobs().size(),
          snapshot.results().size(),
          foundHere.size());
      foundHere.forEach(v -> System.out.println("  VIOLATION " + v));
      found.addAll(foundHere);
    }
    // So far, in case the run is cut short before its summary.
    System.out.println("  faults so far: " + tally.snapshot());
    return found;
  }

  private Upload upload(
      LocalCloud cloud, int round, String name, BatchJobs.Backend backend, Random random) {
    RoundFile file = RoundFile.of(rows, random);
    Blob blob =
        cloud
            .storage()
            .create(
                BlobInfo.newBuilder(LocalDeployment.INBOX, "incoming/" + name)
                    .setContentType("application/jsonl")
                    .setMetadata(Map.of("batchdrop-backend", backend.id))
                    .build(),
                file.content());
    Upload upload =
        new Upload(
            name,
            backend,
            file,
            blob.getGeneration(),
            RunId.of(blob.getBucket(), blob.getName(), blob.getGeneration()),
            false);
    System.out.printf(
        "%nround %d: %s#%d, %d rows on %s, run %s%n",
        round, name, upload.generation(), rows, backend.id, upload.runId().value());
    return upload;
  }

  /** A function with a delivery in flight (poll: a call), picked at random; null when idle. */
  private String busyFunction(EventDelivery delivery, Random random) {
    List<String> busy = new ArrayList<>();
    if (delivery.inFlight("submit") > 0) {
      busy.add("submit");
    }
    if (delivery.inFlight("publish") > 0) {
      busy.add("publish");
    }
    if (pollBusy.get()) {
      busy.add("poll");
    }
    return busy.isEmpty() ? null : busy.get(random.nextInt(busy.size()));
  }

  /** What the victim was doing, from the documents: for the summary's fault kinds. */
  private String where(LocalCloud cloud, RunId runId, String victim) throws Exception {
    if (!victim.equals("submit")) {
      return victim.equals("publish") ? "publish mid-publish" : "poll mid-call";
    }
    DocumentSnapshot run =
        cloud.firestore().collection(RunDoc.COLLECTION).document(runId.value()).get().get();
    if (!run.exists() || !Boolean.TRUE.equals(run.getBoolean(RunDoc.STAGED))) {
      return "submit while staging";
    }
    boolean creating =
        jobs(cloud, runId.value()).stream()
            .anyMatch(j -> JobDoc.CREATING.equals(j.getString(JobDoc.STATE)));
    return creating ? "submit between create and record" : "submit after staging";
  }

  /**
   * The Gemini API emulator's knobs: creates refused (429, 500, 503) or made without an answer (the
   * SDK resends it; submit adopts the first by display name), gets failing, a download cut or
   * refused midway, an upload left PROCESSING, an input file's delete refused.
   */
  private void geminiFault(LocalCloud cloud, Random random) {
    var knobs = cloud.geminiEmulator().knobs();
    int[] codes = {429, 500, 503};
    switch (random.nextInt(6)) {
      case 0 -> {
        int code = codes[random.nextInt(codes.length)];
        int n = 1 + random.nextInt(2);
        knobs.failNextCreates(n, code);
        tally.add("Gemini create fails with HTTP " + code, n);
      }
      case 1 -> {
        knobs.withholdNextCreateAnswers(1);
        tally.add("Gemini create made its batch but the answer was lost");
      }
      case 2 -> {
        int n = 1 + random.nextInt(3);
        knobs.failNextGets(n, 503);
        tally.add("Gemini get fails with HTTP 503", n);
      }
      case 3 -> {
        knobs.cutNextDownloads(1);
        tally.add("Gemini responses download cut midway");
      }
      case 4 -> {
        knobs.processNextUploads(1, 2);
        tally.add("Gemini upload left PROCESSING for 2 reads");
      }
      default -> {
        knobs.failNextFileDeletes(1, 503);
        tally.add("Gemini input file delete fails with HTTP 503");
      }
    }
  }

  private void vertexFault(LocalCloud cloud, Random random) {
    var knobs = cloud.vertexEmulator().knobs();
    Status.Code[] codes = {
      Status.Code.UNAVAILABLE, Status.Code.RESOURCE_EXHAUSTED, Status.Code.INTERNAL
    };
    switch (random.nextInt(3)) {
      case 0 -> {
        Status.Code code = codes[random.nextInt(codes.length)];
        int n = 1 + random.nextInt(2);
        knobs.failNextCreates(n, code);
        tally.add("Vertex create fails with " + code, n);
      }
      case 1 -> {
        int n = 1 + random.nextInt(3);
        knobs.failNextGets(n, Status.Code.UNAVAILABLE);
        tally.add("Vertex get fails with UNAVAILABLE", n);
      }
      default -> {
        knobs.withholdNextCreateAnswers(1);
        tally.add("Vertex create made its job but the answer was lost");
      }
    }
  }

  /** One Cloud Scheduler call of poll, with its headers; a failed call is the next tick's. */
  private void tick(FunctionFleet fleet) {
    long n = ticks.incrementAndGet();
    pollBusy.set(true);
    try {
      HttpRequest request =
          HttpRequest.newBuilder(fleet.uri("poll"))
              .timeout(Duration.ofSeconds(150))
              .header("X-CloudScheduler-JobName", "batchdrop-poll")
              .header("X-CloudScheduler-ScheduleTime", "faults-tick-" + n)
              .POST(HttpRequest.BodyPublishers.noBody())
              .build();
      http.send(request, HttpResponse.BodyHandlers.discarding());
    } catch (Exception e) {
      // Killed mid-call or restarting: Cloud Scheduler simply calls again a minute later.
    } finally {
      pollBusy.set(false);
    }
  }

  private void collect(LocalCloud cloud) {
    try {
      results.addAll(cloud.pull("results-sub", 1000, Duration.ofMillis(500)));
      events.addAll(cloud.pull("events-sub", 1000, Duration.ofMillis(200)));
    } catch (RuntimeException e) {
      // The emulator hiccuped; the next pull continues.
    }
  }

  private void awaitQuietResults() throws InterruptedException {
    int last = -1;
    while (results.size() != last) {
      last = results.size();
      Thread.sleep(3000);
    }
  }

  /** Every upload of the round ended and announced, each job published, no delivery pending. */
  private boolean settled(LocalCloud cloud, List<Upload> uploads, EventDelivery delivery)
      throws Exception {
    for (Upload upload : uploads) {
      if (!settled(cloud, upload.runId(), delivery)) {
        return false;
      }
    }
    return true;
  }

  private boolean settled(LocalCloud cloud, RunId runId, EventDelivery delivery) throws Exception {
    DocumentSnapshot run =
        cloud.firestore().collection(RunDoc.COLLECTION).document(runId.value()).get().get();
    if (!run.exists()) {
      return false;
    }
    boolean ended =
        "REJECTED".equals(run.getString(RunDoc.STATE))
            || Boolean.TRUE.equals(run.getBoolean(RunDoc.CLOSED))
                && Boolean.TRUE.equals(run.getBoolean(RunDoc.COMPLETED_ANNOUNCED));
    return ended
        && delivery.pending() == 0
        && jobs(cloud, runId.value()).stream()
            .allMatch(j -> Boolean.TRUE.equals(j.getBoolean(JobDoc.PUBLISH_DONE)));
  }

  private static List<QueryDocumentSnapshot> jobs(LocalCloud cloud, String runId) throws Exception {
    return cloud
        .firestore()
        .collection(JobDoc.COLLECTION)
        .whereEqualTo(JobDoc.RUN_ID, runId)
        .get()
        .get(30, TimeUnit.SECONDS)
        .getDocuments();
  }

  private Snapshot snapshot(LocalCloud cloud, Upload upload) throws Exception {
    String name = upload.name();
    List<Snapshot.Run> runs = new ArrayList<>();
    for (QueryDocumentSnapshot doc :
        cloud
            .firestore()
            .collection(RunDoc.COLLECTION)
            .whereEqualTo(RunDoc.SOURCE + ".name", "incoming/" + name)
            .whereEqualTo(RunDoc.SOURCE + ".generation", Long.toString(upload.generation()))
            .get()
            .get(30, TimeUnit.SECONDS)
            .getDocuments()) {
      Map<String, Long> counts = new HashMap<>();
      Object raw = doc.get(RunDoc.COUNTS);
      if (raw instanceof Map<?, ?> map) {
        map.forEach((k, v) -> counts.put(k.toString(), ((Number) v).longValue()));
      }
      runs.add(
          new Snapshot.Run(
              doc.getId(),
              doc.getString(RunDoc.STATE),
              Boolean.TRUE.equals(doc.getBoolean(RunDoc.CLOSED)),
              counts));
    }
    String runId = runs.isEmpty() ? "" : runs.get(0).runId();
    List<Snapshot.Job> jobs = new ArrayList<>();
    for (QueryDocumentSnapshot doc : jobs(cloud, runId)) {
      String vertex = doc.getString(JobDoc.VERTEX_NAME);
      jobs.add(
          new Snapshot.Job(
              doc.getId(),
              doc.getString(JobDoc.STATE),
              vertex == null ? "" : vertex,
              Boolean.TRUE.equals(doc.getBoolean(JobDoc.PUBLISH_DONE))));
    }
    List<String> vertexJobs = BatchJobs.displayNames(cloud, upload.backend(), runId);
    List<Snapshot.Result> rowResults = new ArrayList<>();
    for (PubsubMessage m : results) {
      if (runId.equals(m.getAttributesOrDefault("run_id", ""))) {
        rowResults.add(
            new Snapshot.Result(
                runId,
                Long.parseLong(m.getAttributesOrThrow("row")),
                m.getAttributesOrThrow("status"),
                m.getAttributesOrThrow("dedup_id")));
      }
    }
    List<Snapshot.Completed> completed = new ArrayList<>();
    for (PubsubMessage m : events) {
      if (!"run.completed".equals(m.getAttributesOrDefault("type", ""))) {
        continue;
      }
      JsonNode data = JSON.readTree(m.getData().toString(StandardCharsets.UTF_8)).path("data");
      if (!runId.equals(data.path("runId").asText())) {
        continue;
      }
      Map<String, Long> counts = new HashMap<>();
      data.path("counts")
          .fields()
          .forEachRemaining(e -> counts.put(e.getKey(), e.getValue().asLong()));
      completed.add(new Snapshot.Completed(runId, data.path("state").asText(), counts));
    }
    return new Snapshot(
        name + "#" + upload.generation(),
        runs,
        jobs,
        vertexJobs,
        rowResults,
        completed,
        upload.file().expected(),
        upload.overwritten());
  }

  /** One file of a round: where its batches run, what its rows must end as, and its run. */
  private record Upload(
      String name,
      BatchJobs.Backend backend,
      RoundFile file,
      long generation,
      RunId runId,
      boolean overwritten) {

    Upload asOverwritten() {
      return new Upload(name, backend, file, generation, runId, true);
    }
  }

  private static long seconds(Instant since) {
    return Duration.between(since, Instant.now()).toSeconds();
  }

  private static void deleteTree(Path dir) throws java.io.IOException {
    if (!java.nio.file.Files.exists(dir)) {
      return;
    }
    try (java.util.stream.Stream<Path> paths = java.nio.file.Files.walk(dir)) {
      for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        java.nio.file.Files.delete(p);
      }
    }
  }
}
