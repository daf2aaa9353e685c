package io.batchdrop.publish;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.api.core.ApiFuture;
import com.google.api.core.ApiFutureCallback;
import com.google.api.core.ApiFutures;
import com.google.api.gax.core.NoCredentialsProvider;
import com.google.api.gax.grpc.GrpcTransportChannel;
import com.google.api.gax.rpc.FixedTransportChannelProvider;
import com.google.cloud.WriteChannel;
import com.google.cloud.aiplatform.v1.BatchPredictionJob;
import com.google.cloud.aiplatform.v1.JobState;
import com.google.cloud.firestore.DocumentSnapshot;
import com.google.cloud.pubsub.v1.Publisher;
import com.google.cloud.storage.Blob;
import com.google.cloud.storage.BlobInfo;
import com.google.cloud.storage.Storage;
import com.google.common.util.concurrent.MoreExecutors;
import com.google.protobuf.ByteString;
import com.google.pubsub.v1.ProjectSubscriptionName;
import com.google.pubsub.v1.PubsubMessage;
import com.google.pubsub.v1.TopicName;
import io.batchdrop.cloud.CloudClients;
import io.batchdrop.cloud.jobs.HandOffMessage;
import io.batchdrop.cloud.jobs.JobDoc;
import io.batchdrop.cloud.jobs.VertexStates;
import io.batchdrop.cloud.run.RunId;
import io.batchdrop.submit.SubmitFunction;
import io.batchdrop.testing.EventarcDelivery;
import io.batchdrop.testing.InvokedFunction;
import io.batchdrop.testing.LocalCloud;
import io.batchdrop.testing.LocalCloudTest;
import io.batchdrop.testing.LocalDeployment;
import io.batchdrop.testing.MessagePublishedEvent;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

/**
 * {@code publish} on a finished job of 200,000 rows (and 50,000, to show the heap does not grow
 * with rows), on the real invoker in its own JVM with the heap a 1 GiB instance gets, fed the
 * hand-off as Eventarc delivers it. The job is made honestly: a generated file (fixed seed) goes
 * through the real {@code submit}, the Vertex emulator runs it and writes its output (echoed
 * request, response, usageMetadata: 1-3 KB a line), and the job is recorded as {@code poll} records
 * a terminal state. Prints rows per second from the hand-off to the last result row pulled, peak
 * heap from the GC log, the terminal-to-last-row time, and as the floor of the same run the same
 * number of messages of the same sizes through a bare {@link Publisher} with publish's batching
 * settings against the same emulator. Run with {@code ./batchdrop bench publish} (excluded from the
 * normal test run by its tag).
 */
@LocalCloudTest
@Tag("benchmark")
// Timed: one measurement at a time, never beside another (@LocalCloudTest allows concurrency).
@Execution(ExecutionMode.SAME_THREAD)
class PublishBenchmark {
  private static final List<Integer> ROWS =
      Arrays.stream(System.getProperty("bench.rows", "50000,200000").split(","))
          .map(String::trim)
          .map(Integer::valueOf)
          .toList();
  private static final String HEAP = System.getProperty("bench.heap", "512m");

  /**
   * {@code -Dbench.pull=after}: both contenders publish to a subscription nobody pulls yet, and the
   * pullers start at the contender's last confirmation, so the Pub/Sub emulator only takes
   * publishes while each is measured. By default ({@code during}) the pullers drain while each
   * publishes: the floor outruns them, so the emulator delivers most of its messages after its last
   * confirmation, while it delivers publish's during publish's run, on the same two cores.
   */
  private static final boolean PULL_AFTER =
      "after".equals(System.getProperty("bench.pull", "during"));

  private static final long SEED = Long.getLong("bench.seed", 9L);

  /**
   * {@code -Dbench.warmup=N}: messages through the Pub/Sub emulator before anything is measured
   * ({@link #warmUpEmulator}); 0 skips it. Default: the largest row count.
   */
  private static final int WARM_UP_ROWS =
      Integer.getInteger("bench.warmup", ROWS.stream().mapToInt(Integer::intValue).max().orElse(0));

  /**
   * The publish JVM's options as deployed: {@code JAVA_TOOL_OPTIONS} of {@code
   * terraform/variables.tf} ({@code java_tool_options}), C1 only. Measured with C2 as well, the
   * compiler threads spent more CPU than the reading did (bench/publish.md, 2026-12-01 15:00).
   */
  private static final List<String> DEPLOYED_JVM =
      List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC");

  /**
   * {@code -Dbench.jvm="-XX:... -XX:..."}: more options for the publish JVM, after the deployed
   * ones (so {@code -XX:TieredStopAtLevel=4} measures it with C2).
   */
  private static final List<String> JVM_OPTIONS =
      Arrays.stream(System.getProperty("bench.jvm", "").trim().split("\\s+"))
          .filter(option -> !option.isEmpty())
          .toList();

  /** {@code -Dbench.env=NAME=VALUE,...}: settings of the publish function's environment. */
  private static final Map<String, String> ENV =
      Arrays.stream(System.getProperty("bench.env", "").split(","))
          .map(String::trim)
          .filter(pair -> pair.contains("="))
          .collect(
              java.util.stream.Collectors.toMap(
                  pair -> pair.substring(0, pair.indexOf('=')),
                  pair -> pair.substring(pair.indexOf('=') + 1)));

  /**
   * {@code -Dbench.jobs=10}: the many-jobs variant instead (a run of that many jobs of {@code
   * bench.jobRows} rows each, drained by {@code bench.invokers} invoker JVMs at once).
   */
  private static final int JOBS = Integer.getInteger("bench.jobs", 0);

  private static final int JOB_ROWS = Integer.getInteger("bench.jobRows", 20_000);
  private static final int INVOKERS = Integer.getInteger("bench.invokers", 3);

  /** Poll ticks every minute and polls a RUNNING job on every tick (README, the poll function). */
  private static final Duration POLL_INTERVAL = Duration.ofMinutes(1);

  private static final Duration LONG_WAIT = Duration.ofMinutes(15);
  private static final Pattern GC_LINE =
      Pattern.compile("(\\d+)([KMG])->(\\d+)([KMG])\\((\\d+)([KMG])\\)");
  private static final String[] WORDS =
      ("the batch inference quarterly report shows revenue growth of customer support tickets"
              + " were resolved within two days and a summary should mention risks latency storage"
              + " costs région données straße größe データ 東京 请 总结 this document in three bullet"
              + " points for an executive audience include numbers where possible")
          .split(" ");

  @Test
  void publishesAJobNearTheBarePublishersPaceInAFlatHeap(LocalCloud cloud, PublishFixture fx)
      throws Exception {
    Assumptions.assumeTrue(JOBS == 0, "-Dbench.jobs runs the many-jobs variant instead");
    List<Figures> all = new ArrayList<>();
    CpuPinning.pinServices(cloud.processIds().values());
    System.out.println("cores: " + CpuPinning.describe());
    if (WARM_UP_ROWS > 0) {
      warmUpEmulator(cloud, WARM_UP_ROWS);
    }
    for (int rows : ROWS) {
      Job job = prepare(cloud, fx, rows);
      Measured publish =
          onFreshTopic(cloud, "results", "results-sub", () -> runPublish(cloud, fx, job));
      Measured floor =
          onFreshTopic(cloud, "floor", "floor-sub", () -> runFloor(cloud, publish.counter()));
      DeployedRun deployed =
          onFreshTopic(
              cloud,
              "floor-jvm",
              "floor-jvm-sub",
              () -> runDeployedFloor(cloud, publish.counter()));
      Figures figures = new Figures(job, publish, floor, deployed);
      figures.print();
      all.add(figures);
    }
    Figures last = all.get(all.size() - 1);
    System.out.println(
        "machine: "
            + Runtime.getRuntime().availableProcessors()
            + " cores, "
            + CpuPinning.describe()
            + "; other builds on the machine show in the figures");
    StringBuilder heaps = new StringBuilder();
    for (Figures f : all) {
      heaps.append(heaps.length() == 0 ? "" : ", ");
      heaps.append(
          String.format(
              Locale.ROOT,
              "\"%d\": {\"peak_heap_mb\": %d, \"peak_live_mb\": %d}",
              f.job.rows,
              f.publish.heap.peakBeforeMb,
              f.publish.heap.peakAfterMb));
    }
    System.out.printf(
        Locale.ROOT,
        "{\"rows\": %d, \"avg_output_line_bytes\": %d, \"avg_message_bytes\": %d,"
            + " \"publish_s\": %.1f, \"publish_rows_s\": %.0f, \"floor_s\": %.1f,"
            + " \"floor_rows_s\": %.0f, \"ratio_vs_floor\": %.2f,"
            + " \"floor_deployed_s\": %.1f, \"floor_deployed_build_s\": %.2f,"
            + " \"ratio_vs_floor_deployed\": %.2f,"
            + " \"publish_to_last_pulled_s\": %.1f, \"floor_to_last_pulled_s\": %.1f,"
            + " \"ratio_vs_floor_pulled\": %.2f, \"peak_heap_mb\": %d,"
            + " \"heap_limit\": \"%s\", \"heap_by_rows\": {%s}, \"handoff_to_last_row_s\": %.1f,"
            + " \"terminal_to_last_row_s\": %.1f, \"poll_interval_s\": %d,"
            + " \"terminal_to_last_row_worst_s\": %.1f, \"deliveries\": %d, \"duplicates\": %d,"
            + " \"startup_s\": %.1f, \"checkpoints\": %d, \"checkpoint_stall_s\": %.1f,"
            + " \"checkpoint_confirm_s\": %.1f, \"checkpoint_write_s\": %.1f}%n",
        last.job.rows,
        last.job.outputBytes / last.job.rows,
        last.publish.counter.dataBytes() / Math.max(1, last.publish.counter.distinct()),
        last.publish.confirmedSeconds(),
        last.job.rows / last.publish.confirmedSeconds(),
        last.floor.confirmedSeconds(),
        last.job.rows / last.floor.confirmedSeconds(),
        last.floor.confirmedSeconds() / last.publish.confirmedSeconds(),
        last.deployed.measured.confirmedSeconds(),
        last.deployed.buildSeconds,
        last.deployed.measured.confirmedSeconds() / last.publish.confirmedSeconds(),
        last.publish.seconds(),
        last.floor.seconds(),
        last.floor.seconds() / last.publish.seconds(),
        last.publish.heap.peakBeforeMb,
        HEAP,
        heaps,
        last.publish.seconds(),
        last.terminalToLastRow().toMillis() / 1e3,
        POLL_INTERVAL.toSeconds(),
        POLL_INTERVAL.toSeconds() + last.publish.seconds(),
        last.publish.deliveries,
        last.publish.counter.duplicates(),
        last.publish.breakdown.startupSeconds,
        last.publish.breakdown.checkpoints,
        last.publish.breakdown.stallSeconds,
        last.publish.breakdown.confirmSeconds,
        last.publish.breakdown.writeSeconds);
  }

  // ---- the many-jobs variant: a run of JOBS jobs, several invocations at once ----

  @Test
  void drainsARunOfManyJobsWithSeveralInvocationsFromTerminalToRunCompleted(
      LocalCloud cloud, PublishFixture fx) throws Exception {
    Assumptions.assumeTrue(JOBS > 0, "the many-jobs variant runs with -Dbench.jobs=N");
    int rows = JOBS * JOB_ROWS;
    fx.configure(Map.of("BATCHDROP_MAX_ROWS_PER_JOB", Integer.toString(JOB_ROWS)));
    long started = System.nanoTime();
    BlobInfo upload =
        BlobInfo.newBuilder(LocalDeployment.INBOX, PublishFixture.PREFIX + "bench-jobs.jsonl")
            .setContentType("application/jsonl")
            .build();
    writeInput(cloud.storage(), upload, rows, new Random(SEED + rows));
    Blob blob = cloud.storage().get(upload.getBlobId());
    try (SubmitFunction submit = new SubmitFunction(fx.config())) {
      submit.accept(PublishFixture.finalized(blob));
    }
    RunId run = RunId.of(blob.getBucket(), blob.getName(), blob.getGeneration());
    assertThat(fx.jobs(run)).as("%d jobs of %d rows", JOBS, JOB_ROWS).hasSize(JOBS);
    Instant terminalAt = Instant.EPOCH;
    for (DocumentSnapshot job : fx.jobs(run)) {
      BatchPredictionJob vertex = awaitTerminal(cloud, job.getString(JobDoc.VERTEX_NAME));
      Instant end =
          Instant.ofEpochSecond(vertex.getEndTime().getSeconds(), vertex.getEndTime().getNanos());
      terminalAt = end.isAfter(terminalAt) ? end : terminalAt;
    }
    List<HandOffMessage> handOffs = fx.finishJobs(run);
    System.out.printf(
        Locale.ROOT,
        "run of %d jobs × %,d rows ready in %.1f s%n",
        JOBS,
        JOB_ROWS,
        (System.nanoTime() - started) / 1e9);
    drainWithInvokers(cloud, fx, run, rows, handOffs, terminalAt);
  }

  private static void drainWithInvokers(
      LocalCloud cloud,
      PublishFixture fx,
      RunId run,
      int rows,
      List<HandOffMessage> handOffs,
      Instant terminalAt)
      throws Exception {
    List<InvokedFunction> invokers = new ArrayList<>();
    try (ResultCounter counter = new ResultCounter(cloud, "results-sub", rows)) {
      for (int i = 0; i < INVOKERS; i++) {
        invokers.add(
            InvokedFunction.start(
                "io.batchdrop.publish.PublishFunction", publishEnvironment(fx), publishJvm()));
      }
      long start = System.nanoTime();
      for (HandOffMessage handOff : handOffs) {
        cloud.publisher("completions").publish(handOff.encode()).get(60, TimeUnit.SECONDS);
      }
      // One Eventarc push at a time per instance (concurrency 1), as many instances as invokers.
      java.util.concurrent.atomic.AtomicBoolean closed =
          new java.util.concurrent.atomic.AtomicBoolean();
      java.util.concurrent.atomic.AtomicInteger deliveries =
          new java.util.concurrent.atomic.AtomicInteger();
      List<Thread> workers = new ArrayList<>();
      HttpClient http = HttpClient.newHttpClient();
      for (InvokedFunction invoker : invokers) {
        Thread worker =
            new Thread(
                () -> {
                  while (!closed.get()) {
                    List<PubsubMessage> next =
                        cloud.pull("completions-sub", 1, Duration.ofSeconds(2));
                    for (PubsubMessage handOff : next) {
                      try {
                        HttpResponse<String> answer = deliver(http, invoker, handOff);
                        deliveries.incrementAndGet();
                        if (answer.statusCode() / 100 != 2) {
                          cloud.publisher("completions").publish(handOff).get(60, TimeUnit.SECONDS);
                        }
                      } catch (Exception e) {
                        throw new IllegalStateException(e);
                      }
                    }
                  }
                },
                "bench-eventarc-" + workers.size());
        worker.setDaemon(true);
        worker.start();
        workers.add(worker);
      }
      long completedAt = awaitRunCompleted(cloud, LONG_WAIT);
      closed.set(true);
      for (Thread worker : workers) {
        worker.join(TimeUnit.MINUTES.toMillis(2));
      }
      assertThat(counter.awaitAll(LONG_WAIT)).as("every row arrived").isTrue();
      DocumentSnapshot closedRun = fx.run(run);
      assertThat(closedRun.getString("state")).isEqualTo("SUCCEEDED");
      assertThat(closedRun.getLong("counts.succeeded")).isEqualTo((long) rows);
      double handOffToCompleted = (completedAt - start) / 1e9;
      double terminalToCompleted = Duration.between(terminalAt, at(completedAt)).toMillis() / 1e3;
      System.out.printf(
          Locale.ROOT,
          "run of %d jobs × %,d rows, %d invoker JVMs (-Xmx%s) taking one hand-off at a time:"
              + " hand-off → run.completed %.1f s (%,.0f rows/s), terminal → run.completed %.1f s;"
              + " %d deliveries, %d duplicate rows; counts.succeeded %d%n",
          JOBS,
          JOB_ROWS,
          INVOKERS,
          HEAP,
          handOffToCompleted,
          rows / handOffToCompleted,
          terminalToCompleted,
          deliveries.get(),
          counter.duplicates(),
          closedRun.getLong("counts.succeeded"));
      System.out.printf(
          Locale.ROOT,
          "{\"jobs\": %d, \"job_rows\": %d, \"invokers\": %d, \"handoff_to_completed_s\": %.1f,"
              + " \"rows_s\": %.0f, \"terminal_to_completed_s\": %.1f, \"deliveries\": %d,"
              + " \"duplicates\": %d}%n",
          JOBS,
          JOB_ROWS,
          INVOKERS,
          handOffToCompleted,
          rows / handOffToCompleted,
          terminalToCompleted,
          deliveries.get(),
          counter.duplicates());
    } finally {
      for (InvokedFunction invoker : invokers) {
        invoker.close();
      }
    }
  }

  /** When run.completed reached the events topic (pulled; earlier events are acknowledged). */
  private static long awaitRunCompleted(LocalCloud cloud, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      for (PubsubMessage event : cloud.pull("events-sub", 100, Duration.ofSeconds(1))) {
        if ("run.completed".equals(event.getAttributesOrDefault("type", ""))) {
          return System.nanoTime();
        }
      }
    }
    throw new AssertionError("no run.completed within " + timeout);
  }

  // ---- the job: a generated file through submit and the Vertex emulator ----

  private record Job(
      int rows,
      RunId run,
      HandOffMessage handOff,
      Instant terminalAt,
      long inputBytes,
      long outputBytes) {}

  private static Job prepare(LocalCloud cloud, PublishFixture fx, int rows) throws Exception {
    long started = System.nanoTime();
    BlobInfo upload =
        BlobInfo.newBuilder(
                LocalDeployment.INBOX, PublishFixture.PREFIX + "bench-" + rows + ".jsonl")
            .setContentType("application/jsonl")
            .build();
    long inputBytes = writeInput(cloud.storage(), upload, rows, new Random(SEED + rows));
    Blob blob = cloud.storage().get(upload.getBlobId());
    try (SubmitFunction submit = new SubmitFunction(fx.config())) {
      submit.accept(PublishFixture.finalized(blob));
    }
    RunId run = RunId.of(blob.getBucket(), blob.getName(), blob.getGeneration());
    var jobs = fx.jobs(run);
    assertThat(jobs).as("one shard of %d rows", rows).hasSize(1);
    BatchPredictionJob vertex = awaitTerminal(cloud, jobs.get(0).getString(JobDoc.VERTEX_NAME));
    assertThat(vertex.getState()).isEqualTo(JobState.JOB_STATE_SUCCEEDED);
    Instant terminalAt =
        Instant.ofEpochSecond(vertex.getEndTime().getSeconds(), vertex.getEndTime().getNanos());
    // Recorded as poll records a terminal state; the hand-off is what poll then sends.
    List<HandOffMessage> handOffs = fx.finishJobs(run);
    assertThat(handOffs).hasSize(1);
    long outputBytes = 0;
    String dir = vertex.getOutputInfo().getGcsOutputDirectory().substring("gs://".length());
    String bucket = dir.substring(0, dir.indexOf('/'));
    for (Blob out :
        cloud
            .storage()
            .list(bucket, Storage.BlobListOption.prefix(dir.substring(bucket.length() + 1)))
            .iterateAll()) {
      outputBytes += out.getSize();
    }
    System.out.printf(
        Locale.ROOT,
        "job of %,d rows ready in %.1f s: input %.1f MB, Vertex output %.1f MB (%,d bytes a line)%n",
        rows,
        (System.nanoTime() - started) / 1e9,
        inputBytes / 1e6,
        outputBytes / 1e6,
        outputBytes / rows);
    return new Job(rows, run, handOffs.get(0), terminalAt, inputBytes, outputBytes);
  }

  /**
   * Summarise-this-document requests whose prompt is 350-1,250 characters (some non-ASCII), so
   * Vertex's output line (request echoed, answer, usageMetadata) is 1-3 KB.
   */
  private static long writeInput(Storage storage, BlobInfo target, int rows, Random random)
      throws Exception {
    long total = 0;
    try (WriteChannel out = storage.writer(target)) {
      out.setChunkSize(8 << 20);
      StringBuilder line = new StringBuilder(4096);
      for (int row = 1; row <= rows; row++) {
        line.setLength(0);
        line.append("{\"key\":\"doc-")
            .append(row)
            .append("\",\"request\":{\"systemInstruction\":{\"parts\":[{\"text\":\"You are a")
            .append(" careful analyst. Answer in plain English.\"}]},\"contents\":[{\"role\":")
            .append("\"user\",\"parts\":[{\"text\":\"Summarise document ")
            .append(row)
            .append(':');
        int length = 350 + random.nextInt(901);
        int start = line.length();
        while (line.length() - start < length) {
          line.append(' ').append(WORDS[random.nextInt(WORDS.length)]);
        }
        line.append(
            "\"}]}],\"generationConfig\":{\"temperature\":0.2,\"maxOutputTokens\":1024}}}\n");
        byte[] bytes = line.toString().getBytes(StandardCharsets.UTF_8);
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        while (buffer.hasRemaining()) {
          out.write(buffer);
        }
        total += bytes.length;
      }
    }
    return total;
  }

  private static BatchPredictionJob awaitTerminal(LocalCloud cloud, String vertexName) {
    Instant deadline = Instant.now().plus(LONG_WAIT);
    while (Instant.now().isBefore(deadline)) {
      BatchPredictionJob job = cloud.jobService().getBatchPredictionJob(vertexName);
      if (VertexStates.isTerminal(job)) {
        return job;
      }
      LockSupport.parkNanos(100_000_000L); // polls Vertex, as poll does
    }
    throw new AssertionError("job " + vertexName + " did not finish within " + LONG_WAIT);
  }

  // ---- publish on the invoker ----

  private record Measured(
      ResultCounter counter,
      long startNanos,
      long confirmedNanos,
      HeapFigures heap,
      int deliveries,
      DocumentSnapshot jobDoc,
      Breakdown breakdown) {
    double seconds() {
      return (counter.lastNewRowNanos() - startNanos) / 1e9;
    }

    double confirmedSeconds() {
      return (confirmedNanos - startNanos) / 1e9;
    }
  }

  private static Measured runPublish(LocalCloud cloud, PublishFixture fx, Job job)
      throws Exception {
    Path gcLog = Files.createTempFile("publish-gc-", ".log");
    List<String> jvm = new ArrayList<>(contenderJvm());
    jvm.add("-Xlog:gc:file=" + gcLog);
    HttpClient http = HttpClient.newHttpClient();
    try (InvokedFunction publish =
            InvokedFunction.start(
                "io.batchdrop.publish.PublishFunction", publishEnvironment(fx), jvm);
        ResultCounter counter = new ResultCounter(cloud, "results-sub", job.rows, !PULL_AFTER)) {
      CpuPinning.pinContender(publish.process().pid());
      long start = System.nanoTime();
      // Poll sends the hand-off on the completions topic; Eventarc pushes it to publish.
      cloud.publisher("completions").publish(job.handOff.encode()).get(60, TimeUnit.SECONDS);
      int deliveries = 0;
      DocumentSnapshot doc;
      while (true) {
        List<PubsubMessage> handOff = cloud.pull("completions-sub", 1, Duration.ofSeconds(60));
        assertThat(handOff).as("a hand-off on the completions topic").isNotEmpty();
        HttpResponse<String> answer = deliver(http, publish, handOff.get(0));
        deliveries++;
        doc = fx.jobs(job.run).get(0);
        if (Boolean.TRUE.equals(doc.getBoolean(JobDoc.PUBLISH_DONE))) {
          break;
        }
        assertThat(deliveries).as("deliveries of %s", publish.output()).isLessThan(20);
        if (answer.statusCode() / 100 != 2) {
          // Eventarc redelivers an event the function failed: publish it again.
          cloud.publisher("completions").publish(handOff.get(0)).get(60, TimeUnit.SECONDS);
        }
      }
      long confirmed = System.nanoTime();
      counter.start();
      assertThat(counter.awaitAll(LONG_WAIT)).as("every row arrived").isTrue();
      assertThat(doc.getLong("publish.counts.succeeded")).isEqualTo((long) job.rows);
      assertThat(fx.run(job.run).getString("state")).isEqualTo("SUCCEEDED");
      HeapFigures heap = HeapFigures.of(gcLog);
      Files.move(
          gcLog,
          Path.of("target", "publish-" + job.rows + "-gc.log"),
          java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      String log = publish.output();
      Files.writeString(Path.of("target", "publish-" + job.rows + ".log"), log);
      Breakdown breakdown = Breakdown.of(log, at(start));
      // A SIGTERM first, as Cloud Run stops an instance: the JVM's shutdown runs, so a flight
      // recording asked for with -Dbench.jvm=-XX:StartFlightRecording=filename=... is written
      // (closing kills the process, and a killed JVM writes none).
      publish.process().destroy();
      publish.process().waitFor(30, TimeUnit.SECONDS);
      return new Measured(counter, start, confirmed, heap, deliveries, doc, breakdown);
    }
  }

  /** The heap a 1 GiB instance gives the JVM, the deployed options, then {@code bench.jvm}'s. */
  private static List<String> publishJvm() {
    List<String> jvm = new ArrayList<>();
    jvm.add("-Xmx" + HEAP);
    jvm.addAll(DEPLOYED_JVM);
    jvm.addAll(JVM_OPTIONS);
    return jvm;
  }

  /**
   * A measured contender's JVM: {@link #publishJvm()}, sized for the core it is pinned to ({@link
   * CpuPinning}). The many-jobs variant's invokers are not pinned and keep {@link #publishJvm()}.
   */
  private static List<String> contenderJvm() {
    List<String> jvm = new ArrayList<>(publishJvm());
    jvm.addAll(CpuPinning.jvmOptions());
    return jvm;
  }

  /** The deployment's environment with {@code bench.env}'s settings on top. */
  private static Map<String, String> publishEnvironment(PublishFixture fx) {
    Map<String, String> env = new HashMap<>(fx.environment());
    env.putAll(ENV);
    return env;
  }

  /** A push as Eventarc makes it: a binary-mode CloudEvent carrying MessagePublishedData. */
  private static HttpResponse<String> deliver(
      HttpClient http, InvokedFunction function, PubsubMessage message) throws Exception {
    EventarcDelivery delivery =
        EventarcDelivery.of(
            MessagePublishedEvent.of(
                message,
                "projects/p/topics/completions",
                "projects/p/subscriptions/eventarc-publish-sub",
                1));
    HttpRequest.Builder request =
        HttpRequest.newBuilder(function.uri())
            .timeout(Duration.ofMinutes(10)) // the function's own timeout is 540 s
            .POST(HttpRequest.BodyPublishers.ofString(delivery.body()));
    delivery.headers().forEach(request::header);
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  // ---- the floor: the same messages through a bare publisher ----

  private static Measured runFloor(LocalCloud cloud, ResultCounter published) throws Exception {
    return publishBare(
        cloud,
        "floor",
        "floor-sub",
        published.expected(),
        published::dataBytes,
        published.templateAttributes());
  }

  /**
   * Before anything is measured, {@code rows} messages of publish's average result size through a
   * bare publisher, pulled to the last: the Pub/Sub emulator is a JVM, and the contender it serves
   * first pays its JIT's warm-up (measured 2026-12-01 23:03: the emulator spent 8.5 CPU s on
   * publish's 200,000 messages in a first round, 4.6 s in a second), while the floors, measured
   * after publish, found it warm. Deployed, Pub/Sub is a warm service. Printed, never counted.
   */
  private static void warmUpEmulator(LocalCloud cloud, int rows) throws Exception {
    Map<String, String> attributes = new HashMap<>();
    for (String name :
        List.of("run_id", "job_id", "status", "attempt", "model", "finish_reason", "source")) {
      attributes.put(name, name + "-of-the-warm-up-run");
    }
    long start = System.nanoTime();
    onFreshTopic(
        cloud,
        "warm-up",
        "warm-up-sub",
        () -> publishBare(cloud, "warm-up", "warm-up-sub", rows, row -> 1_500, attributes));
    System.out.printf(
        Locale.ROOT,
        "Pub/Sub emulator warmed up first: %,d messages of 1,500 bytes published and pulled in"
            + " %.1f s (not counted; -Dbench.warmup=0 skips it)%n",
        rows,
        (System.nanoTime() - start) / 1e9);
  }

  /**
   * What {@code contender} measures, publishing to a topic and subscription made new and empty for
   * it and deleted once it is done. The Pub/Sub emulator keeps every message published to a topic,
   * acked or not, until the topic is deleted (measured 2026-12-02: 1.26 GB of live heap after
   * 600,000 messages of 1.5 KB were published and acked, 17 MB once their topics were deleted), so
   * without this its heap, and the collections whoever is measured next pays for, grew through a
   * run: in a three-round run the emulator reached 6.4 GB and 190 % CPU, collecting, and the third
   * round never started. Deployed, Pub/Sub does not slow down with what it delivered before.
   */
  private static <T> T onFreshTopic(
      LocalCloud cloud, String topicId, String subscriptionId, Callable<T> contender)
      throws Exception {
    dropTopic(cloud, topicId, subscriptionId);
    cloud.createTopic(topicId);
    cloud.createSubscription(topicId, subscriptionId);
    T measured = contender.call();
    dropTopic(cloud, topicId, subscriptionId);
    return measured;
  }

  private static void dropTopic(LocalCloud cloud, String topicId, String subscriptionId) {
    try {
      cloud
          .subscriptionAdmin()
          .deleteSubscription(ProjectSubscriptionName.format(cloud.projectId(), subscriptionId));
    } catch (com.google.api.gax.rpc.NotFoundException e) {
      // not created yet in this run
    }
    try {
      cloud.topicAdmin().deleteTopic(TopicName.format(cloud.projectId(), topicId));
    } catch (com.google.api.gax.rpc.NotFoundException e) {
      // not created yet in this run
    }
  }

  /**
   * One thread publishing {@code rows} messages of the given data sizes with the given attributes
   * (plus each row's own {@code row}, {@code dedup_id} and {@code key}) through a bare publisher
   * with publish's batching, confirmations counted by callbacks as {@code ResultPublisher} counts
   * them; then every message pulled from {@code subscriptionId}.
   */
  private static Measured publishBare(
      LocalCloud cloud,
      String topicId,
      String subscriptionId,
      int rows,
      java.util.function.IntUnaryOperator dataBytes,
      Map<String, String> template)
      throws Exception {
    ManagedChannel channel =
        ManagedChannelBuilder.forTarget(cloud.environment().get(LocalCloud.PUBSUB_EMULATOR_HOST))
            .usePlaintext()
            .build();
    Publisher publisher =
        Publisher.newBuilder(TopicName.of(cloud.projectId(), topicId))
            .setBatchingSettings(CloudClients.PUBLISHER_BATCHING)
            .setChannelProvider(
                FixedTransportChannelProvider.create(GrpcTransportChannel.create(channel)))
            .setCredentialsProvider(NoCredentialsProvider.create())
            .build();
    int maxDataBytes = 0;
    for (int row = 1; row <= rows; row++) {
      maxDataBytes = Math.max(maxDataBytes, dataBytes.applyAsInt(row));
    }
    byte[] filler = new byte[maxDataBytes];
    Arrays.fill(filler, (byte) 'x');
    long confirmedAt;
    try (ResultCounter counter = new ResultCounter(cloud, subscriptionId, rows, !PULL_AFTER)) {
      Confirmations confirmations = new Confirmations();
      long start = System.nanoTime();
      for (int row = 1; row <= rows; row++) {
        Map<String, String> attributes = new HashMap<>(template);
        attributes.put("row", Integer.toString(row));
        attributes.put("dedup_id", topicId + "/" + row + "/1");
        attributes.put("key", "doc-" + row);
        PubsubMessage message =
            PubsubMessage.newBuilder()
                .putAllAttributes(attributes)
                .setData(ByteString.copyFrom(filler, 0, dataBytes.applyAsInt(row)))
                .build();
        confirmations.track(publisher.publish(message));
      }
      publisher.publishAllOutstanding();
      confirmations.await(rows, LONG_WAIT);
      confirmedAt = System.nanoTime();
      counter.start();
      assertThat(counter.awaitAll(LONG_WAIT)).as("every " + topicId + " message arrived").isTrue();
      return new Measured(counter, start, confirmedAt, null, 0, null, null);
    } finally {
      publisher.shutdown();
      publisher.awaitTermination(30, TimeUnit.SECONDS);
      channel.shutdownNow();
    }
  }

  /** The deployed-options floor: its publishing as measured, and its client build apart. */
  private record DeployedRun(Measured measured, double buildSeconds) {}

  /**
   * The same loop as {@link #runFloor} in a fresh JVM with publish's deployed options ({@link
   * #contenderJvm()}: the heap, C1 only, serial GC, one processor when pinned), cold: what a
   * function that did nothing but publish these messages would take as deployed. Timed in that JVM
   * from its first publish call to its last confirmation; building its channel and Publisher is
   * timed apart.
   */
  private static DeployedRun runDeployedFloor(LocalCloud cloud, ResultCounter published)
      throws Exception {
    int rows = published.expected();
    int[] sizes = new int[rows + 1];
    for (int row = 1; row <= rows; row++) {
      sizes[row] = published.dataBytes(row);
    }
    try (ResultCounter counter = new ResultCounter(cloud, "floor-jvm-sub", rows, !PULL_AFTER)) {
      DeployedFloor.Figures figures =
          DeployedFloor.run(
              cloud.environment().get(LocalCloud.PUBSUB_EMULATOR_HOST),
              cloud.projectId(),
              "floor-jvm",
              published.firstRow(),
              sizes,
              published.templateAttributes(),
              contenderJvm(),
              LONG_WAIT);
      counter.start();
      assertThat(counter.awaitAll(LONG_WAIT))
          .as("every deployed-options floor message arrived")
          .isTrue();
      return new DeployedRun(
          new Measured(
              counter, figures.startNanos(), figures.confirmedNanos(), null, 0, null, null),
          figures.buildSeconds());
    }
  }

  /** Counted with callbacks, as publish's ResultPublisher counts. */
  private static final class Confirmations {
    private long confirmed;
    private Throwable failure;

    void track(ApiFuture<String> future) {
      ApiFutures.addCallback(
          future,
          new ApiFutureCallback<>() {
            @Override
            public void onSuccess(String id) {
              settle(null);
            }

            @Override
            public void onFailure(Throwable t) {
              settle(t);
            }
          },
          MoreExecutors.directExecutor());
    }

    private synchronized void settle(Throwable t) {
      confirmed++;
      if (t != null && failure == null) {
        failure = t;
      }
      notifyAll();
    }

    synchronized void await(long count, Duration timeout) throws InterruptedException {
      long deadline = System.nanoTime() + timeout.toNanos();
      while (confirmed < count && failure == null) {
        long left = deadline - System.nanoTime();
        assertThat(left).as("floor confirmations within " + timeout).isPositive();
        TimeUnit.NANOSECONDS.timedWait(this, left);
      }
      assertThat(failure).as("floor publish failure").isNull();
    }
  }

  // ---- figures ----

  /** A System.nanoTime() reading as an instant. */
  private static Instant at(long nanos) {
    return Instant.now().minusNanos(System.nanoTime() - nanos);
  }

  /**
   * What publish's own log says of its time: start-up before reading, and its checkpoints (reading
   * stalled for them; confirming and writing ran behind reading).
   */
  private record Breakdown(
      double startupSeconds,
      int checkpoints,
      double stallSeconds,
      double confirmSeconds,
      double writeSeconds,
      Map<String, Long> phaseMillis) {
    private static final Pattern LAST_LINE =
        Pattern.compile("\\{[^\n]*\"message\":\"(?:job published|time budget spent)[^\n]*");
    private static final Pattern PHASE = Pattern.compile("\"(\\w+)_ms\":(\\d+)");
    private static final Pattern STARTED =
        Pattern.compile("\"message\":\"publishing job\".*?\"time\":\"([^\"]+)\"");
    private static final Pattern CHECKPOINTS =
        Pattern.compile(
            "\"checkpoints\":(\\d+),\"checkpoint_stall_ms\":(\\d+),"
                + "\"checkpoint_confirm_ms\":(\\d+),\"checkpoint_write_ms\":(\\d+)");

    static Breakdown of(String log, Instant handOff) {
      Matcher started = STARTED.matcher(log);
      double startup =
          started.find()
              ? Duration.between(handOff, Instant.parse(started.group(1))).toMillis() / 1e3
              : Double.NaN;
      int count = 0;
      long stall = 0;
      long confirm = 0;
      long write = 0;
      Matcher m = CHECKPOINTS.matcher(log);
      while (m.find()) {
        count += Integer.parseInt(m.group(1));
        stall += Long.parseLong(m.group(2));
        confirm += Long.parseLong(m.group(3));
        write += Long.parseLong(m.group(4));
      }
      // The invocation's phases (PhaseTimes), summed over deliveries; the checkpoints' apart.
      Map<String, Long> phases = new java.util.LinkedHashMap<>();
      Matcher line = LAST_LINE.matcher(log);
      while (line.find()) {
        Matcher phase = PHASE.matcher(line.group());
        while (phase.find()) {
          if (!phase.group(1).startsWith("checkpoint_")) {
            phases.merge(phase.group(1), Long.parseLong(phase.group(2)), Long::sum);
          }
        }
      }
      return new Breakdown(startup, count, stall / 1e3, confirm / 1e3, write / 1e3, phases);
    }

    /** "lease 1.2 s, startup 0.3 s, ..." */
    String phases() {
      StringBuilder text = new StringBuilder();
      phaseMillis.forEach(
          (name, ms) ->
              text.append(text.length() == 0 ? "" : ", ")
                  .append(String.format(Locale.ROOT, "%s %.1f s", name, ms / 1e3)));
      return text.toString();
    }
  }

  private record HeapFigures(long peakBeforeMb, long peakAfterMb, long committedMb, int gcs) {
    /** Peak occupancy a collection started from, the largest live set after one, and committed. */
    static HeapFigures of(Path gcLog) throws Exception {
      long before = 0;
      long after = 0;
      long committed = 0;
      int gcs = 0;
      for (String line : Files.readAllLines(gcLog)) {
        Matcher m = GC_LINE.matcher(line);
        if (m.find()) {
          gcs++;
          before = Math.max(before, toMb(Long.parseLong(m.group(1)), m.group(2)));
          after = Math.max(after, toMb(Long.parseLong(m.group(3)), m.group(4)));
          committed = Math.max(committed, toMb(Long.parseLong(m.group(5)), m.group(6)));
        }
      }
      return new HeapFigures(before, after, committed, gcs);
    }

    private static long toMb(long value, String unit) {
      return switch (unit) {
        case "K" -> value / 1024;
        case "G" -> value * 1024;
        default -> value;
      };
    }
  }

  private record Figures(Job job, Measured publish, Measured floor, DeployedRun deployed) {
    Duration terminalToLastRow() {
      return Duration.between(job.terminalAt, at(publish.counter.lastNewRowNanos()));
    }

    Duration terminalToHandOff() {
      return Duration.between(job.terminalAt, at(publish.startNanos));
    }

    void print() {
      int rows = job.rows;
      long messageBytes = publish.counter.dataBytes() / Math.max(1, publish.counter.distinct());
      System.out.printf(
          Locale.ROOT,
          "publish, %,d rows (Vertex output %,d bytes a line, result data %,d bytes a message):"
              + " %.1f s from the hand-off to publish.done, every message confirmed = %,.0f rows/s"
              + " (last row pulled after %.1f s, %d deliver%s, %d duplicate rows);"
              + " peak heap %d MB (largest live set after a GC %d MB, committed %d MB, %d GCs)"
              + " of -Xmx%s%n",
          rows,
          job.outputBytes / rows,
          messageBytes,
          publish.confirmedSeconds(),
          rows / publish.confirmedSeconds(),
          publish.seconds(),
          publish.deliveries,
          publish.deliveries == 1 ? "y" : "ies",
          publish.counter.duplicates(),
          publish.heap.peakBeforeMb,
          publish.heap.peakAfterMb,
          publish.heap.committedMb,
          publish.heap.gcs,
          HEAP);
      System.out.printf(
          Locale.ROOT,
          "  where publish's time went (its log): %.1f s from the hand-off to reading (cold"
              + " clients, lease, run and job documents); %d checkpoints stopped reading for"
              + " %.1f s in all; behind reading they waited %.1f s for confirmations and wrote"
              + " for %.1f s%n",
          publish.breakdown.startupSeconds,
          publish.breakdown.checkpoints,
          publish.breakdown.stallSeconds,
          publish.breakdown.confirmSeconds,
          publish.breakdown.writeSeconds);
      System.out.println("  publish's phases (its log): " + publish.breakdown.phases());
      System.out.printf(
          Locale.ROOT,
          "floor, %,d messages of the same sizes through a bare Publisher (same batching): %.1f s"
              + " to the last confirmation = %,.0f rows/s; publish is %.2f× the floor"
              + " (to the last row pulled: floor %.1f s, publish %.2f× it; the bench's pullers"
              + " limit that figure, not the publishers)%s%n",
          rows,
          floor.confirmedSeconds(),
          rows / floor.confirmedSeconds(),
          floor.confirmedSeconds() / publish.confirmedSeconds(),
          floor.seconds(),
          floor.seconds() / publish.seconds(),
          PULL_AFTER
              ? "; -Dbench.pull=after: both published to an unpulled subscription, pulled after"
                  + " their last confirmation"
              : "");
      Measured df = deployed.measured;
      System.out.printf(
          Locale.ROOT,
          "floor as deployed, the same loop in a fresh JVM with publish's options (%s), cold:"
              + " %.1f s from its first publish call to its last confirmation = %,.0f rows/s"
              + " (building its channel and Publisher %.2f s before, not counted); publish is"
              + " %.2f× this floor (to the last row pulled: %.1f s, publish %.2f× it)%n",
          String.join(" ", contenderJvm()),
          df.confirmedSeconds(),
          rows / df.confirmedSeconds(),
          deployed.buildSeconds,
          df.confirmedSeconds() / publish.confirmedSeconds(),
          df.seconds(),
          df.seconds() / publish.seconds());
      Duration t = terminalToLastRow();
      System.out.printf(
          Locale.ROOT,
          "terminal → last row: %.1f s here (Vertex endTime → hand-off %.1f s: the bench records"
              + " the job as poll does and starts the invoker; hand-off → last row %.1f s);"
              + " worst case deployed, poll seeing the end up to one %d s interval late: %.1f s;"
              + " target ≤ %d s%n",
          t.toMillis() / 1e3,
          terminalToHandOff().toMillis() / 1e3,
          publish.seconds(),
          POLL_INTERVAL.toSeconds(),
          POLL_INTERVAL.toSeconds() + publish.seconds(),
          POLL_INTERVAL.toSeconds() + 60);
    }
  }
}
