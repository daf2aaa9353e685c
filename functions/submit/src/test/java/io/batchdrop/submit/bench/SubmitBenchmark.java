package io.batchdrop.submit.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.cloud.ReadChannel;
import com.google.cloud.WriteChannel;
import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.BlobInfo;
import com.google.cloud.storage.BucketInfo;
import io.batchdrop.cloud.run.RunId;
import io.batchdrop.testing.EventarcDelivery;
import io.batchdrop.testing.InvokedFunction;
import io.batchdrop.testing.LocalCloud;
import io.batchdrop.testing.LocalCloudTest;
import io.batchdrop.testing.StorageEvents;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

/**
 * {@code submit} on a generated 1 GB, 200,000-row upload, in its own JVM with the heap a 1 GiB
 * function instance gets; prints wall time and peak heap, and as the floor of the same run the time
 * to read the upload and write it back through the storage client without parsing it. Run with
 * {@code ./batchdrop bench submit} (excluded from the normal test run by its tag).
 */
@LocalCloudTest
@Tag("benchmark")
// Timed: one measurement at a time, never beside another (@LocalCloudTest allows concurrency).
@Execution(ExecutionMode.SAME_THREAD)
class SubmitBenchmark {
  private static final int ROWS = Integer.getInteger("bench.rows", 200_000);
  private static final int LINE_BYTES = Integer.getInteger("bench.lineBytes", 5_000);
  private static final String HEAP = System.getProperty("bench.heap", "512m");

  /**
   * More options for submit's JVM, e.g. {@code -Dbench.jvmOptions=-XX:TieredStopAtLevel=1} for the
   * deployed JAVA_TOOL_OPTIONS (terraform's java_tool_options); empty by default, as the figures in
   * bench/submit.md were measured (JDK default JIT).
   */
  private static final String JVM_OPTIONS = System.getProperty("bench.jvmOptions", "");

  /**
   * {@code -Dbench.jfr=PATH}: a JFR profile of submit's JVM over the timed event, dumped with jcmd
   * before the JVM is killed (a killed JVM writes no recording of its own).
   */
  private static final String JFR = System.getProperty("bench.jfr", "");

  /**
   * Answer a 3-row upload first, untimed: the floor's client is warm, and the first use of four
   * clients in a fresh JVM is {@code bench coldstart}'s subject (on a loaded machine it alone can
   * take a minute). {@code -Dbench.warmUp=false} times the cold event, as before 2026-12-01.
   */
  private static final boolean WARM_UP =
      Boolean.parseBoolean(System.getProperty("bench.warmUp", "true"));

  private static final String TAIL =
      "\"}]}],\"generationConfig\":{\"temperature\":0.2,\"maxOutputTokens\":256}}}\n";
  private static final com.sun.management.OperatingSystemMXBean OS =
      (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
  private static final Pattern GC_LINE =
      Pattern.compile("(\\d+)([KMG])->(\\d+)([KMG])\\((\\d+)([KMG])\\)");

  @Test
  void submitsAOneGigabyteUploadWithinTheFunctionsHeap(LocalCloud cloud) throws Exception {
    cloud.storage().create(BucketInfo.of("bench-inbox"));
    cloud.storage().create(BucketInfo.of("bench-work"));
    for (String topic : List.of("results", "events", "completions")) {
      cloud.createTopic(topic);
    }
    // Jobs stay queued: the benchmark measures submit, not the emulator running the job.
    cloud.vertexEmulator().knobs().delays(Duration.ofHours(1), Duration.ofHours(1));
    BlobInfo upload =
        BlobInfo.newBuilder("bench-inbox", "incoming/bench.jsonl")
            .setContentType("application/jsonl")
            .build();
    long bytes = writeFile(cloud, upload);
    var blob = cloud.storage().get(upload.getBlobId());
    double mb = bytes / 1e6;
    System.out.printf(Locale.ROOT, "generated %,d rows, %.1f MB%n", ROWS, mb);

    long floorStart = System.nanoTime();
    long floorCpuStart = OS.getProcessCpuTime();
    long copied =
        copyThrough(
            cloud, blob.getBlobId(), BlobInfo.newBuilder("bench-work", "floor-copy.jsonl").build());
    double floorSeconds = (System.nanoTime() - floorStart) / 1e9;
    // The storage emulator runs in this JVM: the floor's CPU is the client's and the emulator's.
    double floorCpu = (OS.getProcessCpuTime() - floorCpuStart) / 1e9;
    assertThat(copied).isEqualTo(bytes);
    cloud.storage().delete(BlobId.of("bench-work", "floor-copy.jsonl"));

    Map<String, String> env = new HashMap<>(cloud.environment());
    env.putAll(
        Map.of(
            "BATCHDROP_INBOX_BUCKET",
            "bench-inbox",
            "BATCHDROP_INBOX_PREFIX",
            "incoming/",
            "BATCHDROP_WORK_BUCKET",
            "bench-work",
            "BATCHDROP_RESULTS_TOPIC",
            "results",
            "BATCHDROP_EVENTS_TOPIC",
            "events",
            "BATCHDROP_COMPLETIONS_TOPIC",
            "completions"));
    Path gcLog = Files.createTempFile("submit-gc-", ".log");
    List<String> jvm =
        new java.util.ArrayList<>(
            List.of("-Xmx" + HEAP, "-XX:+UseSerialGC", "-Xlog:gc:file=" + gcLog));
    if (!JFR.isEmpty()) {
      jvm.add("-XX:StartFlightRecording=name=bench,settings=profile");
    }
    for (String option : JVM_OPTIONS.trim().split("\\s+")) {
      if (!option.isEmpty()) {
        jvm.add(option);
      }
    }
    double wallSeconds;
    double submitCpu;
    double emulatorCpu;
    try (InvokedFunction submit =
        InvokedFunction.start("io.batchdrop.submit.SubmitFunction", env, jvm)) {
      if (WARM_UP) {
        warmUp(cloud, submit);
      }
      long submitCpuStart = cpuNanos(submit.process().toHandle());
      long emulatorCpuStart = OS.getProcessCpuTime();
      long start = System.nanoTime();
      var response = submit.post(EventarcDelivery.of(StorageEvents.finalized(blob, "bench-1")));
      wallSeconds = (System.nanoTime() - start) / 1e9;
      submitCpu = (cpuNanos(submit.process().toHandle()) - submitCpuStart) / 1e9;
      emulatorCpu = (OS.getProcessCpuTime() - emulatorCpuStart) / 1e9;
      if (!JFR.isEmpty()) {
        dumpRecording(submit.process().toHandle());
      }
      assertThat(response.statusCode()).as(submit.output()).isEqualTo(200);
    }
    var run =
        cloud
            .firestore()
            .collection("runs")
            .document(RunId.of("bench-inbox", blob.getName(), blob.getGeneration()).value())
            .get()
            .get();
    assertThat(run.getString("state")).isEqualTo("SUBMITTED");
    assertThat(run.getLong("counts.valid")).isEqualTo(ROWS);
    long peakHeapMb = peakHeapMb(gcLog);
    Files.deleteIfExists(gcLog);

    System.out.printf(
        Locale.ROOT,
        "floor (read the upload and write it back through the client, no parsing): %.1f s, %.0f MB/s%n",
        floorSeconds,
        mb / floorSeconds);
    System.out.printf(
        Locale.ROOT,
        "submit (claim, validate, stage %d shard(s), create jobs): %.1f s, %.0f MB/s, peak heap %d MB of -Xmx%s%n",
        ((List<?>) run.get("jobIds")).size(),
        wallSeconds,
        mb / wallSeconds,
        peakHeapMb,
        HEAP);
    System.out.printf(
        Locale.ROOT,
        "CPU (steadier than wall time on a shared machine): floor %.1f s (client and storage"
            + " emulator, this JVM); submit %.1f s in its JVM + %.1f s in this JVM (the storage"
            + " emulator serving it)%n",
        floorCpu,
        submitCpu,
        emulatorCpu);
    System.out.printf(
        Locale.ROOT,
        "{\"rows\": %d, \"mb\": %.1f, \"submit_wall_s\": %.1f, \"submit_mb_s\": %.1f, \"peak_heap_mb\": %d, \"heap_limit\": \"%s\", \"floor_s\": %.1f, \"ratio_vs_floor\": %.2f, \"warm_up\": %s, \"floor_cpu_s\": %.1f, \"submit_jvm_cpu_s\": %.1f, \"submit_emulator_cpu_s\": %.1f}%n",
        ROWS,
        mb,
        wallSeconds,
        mb / wallSeconds,
        peakHeapMb,
        HEAP,
        floorSeconds,
        floorSeconds / wallSeconds,
        WARM_UP,
        floorCpu,
        submitCpu,
        emulatorCpu);
  }

  private static void warmUp(LocalCloud cloud, InvokedFunction submit) throws Exception {
    String row =
        "{\"request\":{\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"warm up\"}]}]}}\n";
    var blob =
        cloud
            .storage()
            .create(
                BlobInfo.newBuilder("bench-inbox", "incoming/warm-up.jsonl").build(),
                row.repeat(3).getBytes(StandardCharsets.UTF_8));
    var response = submit.post(EventarcDelivery.of(StorageEvents.finalized(blob, "warm-up")));
    assertThat(response.statusCode()).as(submit.output()).isEqualTo(200);
  }

  /**
   * Realistic-enough rows of about {@link #LINE_BYTES}, streamed to the inbox without holding them.
   */
  private static long writeFile(LocalCloud cloud, BlobInfo target) throws Exception {
    String padding = "lorem ipsum dolor sit amet ".repeat(LINE_BYTES / 27 + 1);
    long total = 0;
    try (WriteChannel out = cloud.storage().writer(target)) {
      out.setChunkSize(8 << 20);
      StringBuilder line = new StringBuilder(LINE_BYTES + 256);
      for (int row = 1; row <= ROWS; row++) {
        line.setLength(0);
        line.append("{\"key\":\"doc-")
            .append(row)
            .append(
                "\",\"request\":{\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"Summarise document ")
            .append(row)
            .append(": ");
        line.append(padding, 0, Math.max(0, LINE_BYTES - line.length() - TAIL.length()));
        line.append(TAIL);
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

  /** The I/O submit cannot avoid: read the upload once and write as much back, no parsing. */
  private static long copyThrough(LocalCloud cloud, BlobId source, BlobInfo target)
      throws Exception {
    long copied = 0;
    try (ReadChannel in = cloud.storage().reader(source);
        WriteChannel out = cloud.storage().writer(target)) {
      ByteBuffer buffer = ByteBuffer.allocate(1 << 20);
      while (in.read(buffer) >= 0) {
        buffer.flip();
        while (buffer.hasRemaining()) {
          copied += out.write(buffer);
        }
        buffer.clear();
      }
    }
    return copied;
  }

  private static void dumpRecording(ProcessHandle jvm) throws Exception {
    Process jcmd =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                Long.toString(jvm.pid()),
                "JFR.dump",
                "name=bench",
                "filename=" + JFR)
            .inheritIO()
            .start();
    if (!jcmd.waitFor(2, java.util.concurrent.TimeUnit.MINUTES)) {
      jcmd.destroyForcibly();
      throw new AssertionError("jcmd JFR.dump did not finish within 2 minutes");
    }
  }

  /** CPU time of a process and everything it started, so far. */
  private static long cpuNanos(ProcessHandle process) {
    long total = process.info().totalCpuDuration().map(Duration::toNanos).orElse(0L);
    return total
        + process
            .descendants()
            .mapToLong(p -> p.info().totalCpuDuration().map(Duration::toNanos).orElse(0L))
            .sum();
  }

  /** The largest heap occupancy a collection started from, as the GC log reports it. */
  private static long peakHeapMb(Path gcLog) throws Exception {
    long peak = 0;
    for (String line : Files.readAllLines(gcLog)) {
      Matcher m = GC_LINE.matcher(line);
      if (m.find()) {
        peak = Math.max(peak, toMb(Long.parseLong(m.group(1)), m.group(2)));
      }
    }
    return peak;
  }

  private static long toMb(long value, String unit) {
    return switch (unit) {
      case "K" -> value / 1024;
      case "G" -> value * 1024;
      default -> value;
    };
  }
}
