package io.batchdrop.staging;

import static org.assertj.core.api.Assertions.assertThat;

import io.batchdrop.pricing.PriceTable;
import io.batchdrop.pricing.TokenEstimator;
import io.batchdrop.validation.InvalidLine;
import io.batchdrop.validation.LineListener;
import io.batchdrop.validation.RequestValidator;
import io.batchdrop.validation.ValidLine;
import io.batchdrop.validation.ValidationReport;
import io.batchdrop.validation.ValidatorConfig;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * {@code submit}'s three threads without any I/O (the upload in memory, shards counted and
 * dropped), with the CPU time of each thread: read-ahead, validate, stage (and estimate). CPU time
 * rather than wall time because the machine is shared. The rows are {@code bench submit}'s (5,000
 * bytes, a user key first, one text part, a generationConfig). Runs the byte-splice staging and the
 * token-by-token path in turns, in one JVM. Run with {@code mvn -B -pl functions/core surefire:test
 * -Dgroups=benchmark -Dbatchdrop.test.excludedGroups= -Dbatchdrop.test.jvm=
 * -Dtest=StagingPipelineBenchmark} ({@code -Dbench.rows=N -Dbench.rounds=N}).
 */
@Tag("benchmark")
class StagingPipelineBenchmark {
  private static final int ROWS = Integer.getInteger("bench.rows", 40_000);
  private static final int ROUNDS = Integer.getInteger("bench.rounds", 4);
  private static final int LINE_BYTES = 5_000;
  private static final String TAIL =
      "\"}]}],\"generationConfig\":{\"temperature\":0.2,\"maxOutputTokens\":256}}}\n";
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  @Test
  void stagesTheSubmitBenchmarksRowsWithEachThreadsCpuTimeReported() throws Exception {
    byte[] file = rows();
    double mb = file.length / 1e6;
    System.out.printf(Locale.ROOT, "%,d rows, %.1f MB in memory%n", ROWS, mb);
    run(file, false); // warm-up, both paths
    run(file, true);
    for (int round = 1; round <= ROUNDS; round++) {
      for (boolean tokenPath : new boolean[] {false, true}) {
        Cpu cpu = run(file, tokenPath);
        System.out.printf(
            Locale.ROOT,
            "round %d %-11s read %.2f s, validate %.2f s, stage+estimate %.2f s (%.0f MB/s of"
                + " staging CPU), total %.2f CPU-s, wall %.2f s%n",
            round,
            tokenPath ? "token path" : "splice",
            cpu.read / 1e9,
            cpu.validate / 1e9,
            cpu.stage / 1e9,
            mb / (cpu.stage / 1e9),
            (cpu.read + cpu.validate + cpu.stage) / 1e9,
            cpu.wall / 1e9);
      }
    }
  }

  private static final class Cpu {
    volatile long read;
    long validate;
    volatile long stage;
    long wall;
  }

  private static Cpu run(byte[] file, boolean tokenPath) throws Exception {
    Cpu cpu = new Cpu();
    long start = System.nanoTime();
    long cpuStart = THREADS.getCurrentThreadCpuTime();
    StagingWriter writer = new StagingWriter(new NullOutput(), StagingLimits.defaults(), tokenPath);
    TokenEstimator estimator = new TokenEstimator(PriceTable.builtIn(), "gemini-2.5-flash");
    // As InputStager does: the estimate on the staging thread (before 2026-12-01 evening, on the
    // validating one).
    LineListener timedWriter = new StageTimer(LineListener.both(writer, estimator), cpu);
    ValidationReport report;
    try (InputStream in =
            new ReadAheadInputStream(
                new ReadTimer(new ByteArrayInputStream(file), cpu),
                "bench-read",
                3,
                4 << 20,
                Duration.ofMinutes(2));
        BackgroundListener staging =
            new BackgroundListener(timedWriter, "bench-stage", 3, 4 << 20, Duration.ofMinutes(2))) {
      report = new RequestValidator(ValidatorConfig.defaults()).validate(in, staging);
      staging.finish();
    }
    writer.finish();
    cpu.validate = THREADS.getCurrentThreadCpuTime() - cpuStart;
    cpu.wall = System.nanoTime() - start;
    assertThat(report.valid()).isEqualTo(ROWS);
    return cpu;
  }

  /** The staging thread's CPU time, read every 64 lines and at the end. */
  private static final class StageTimer implements LineListener {
    private final LineListener to;
    private final Cpu cpu;
    private long start = -1;
    private int lines;

    StageTimer(LineListener to, Cpu cpu) {
      this.to = to;
      this.cpu = cpu;
    }

    @Override
    public void onValidLine(ValidLine line) throws IOException {
      if (start < 0) {
        start = THREADS.getCurrentThreadCpuTime();
      }
      to.onValidLine(line);
      if (++lines % 64 == 0 || lines == ROWS) {
        cpu.stage = THREADS.getCurrentThreadCpuTime() - start;
      }
    }

    @Override
    public void onInvalidLine(InvalidLine line) throws IOException {
      to.onInvalidLine(line);
    }
  }

  /** The read-ahead thread's CPU time, read at every read. */
  private static final class ReadTimer extends InputStream {
    private final InputStream in;
    private final Cpu cpu;
    private long start = -1;

    ReadTimer(InputStream in, Cpu cpu) {
      this.in = in;
      this.cpu = cpu;
    }

    @Override
    public int read() throws IOException {
      throw new UnsupportedOperationException();
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (start < 0) {
        start = THREADS.getCurrentThreadCpuTime();
      }
      int n = in.read(b, off, len);
      cpu.read = THREADS.getCurrentThreadCpuTime() - start;
      return n;
    }
  }

  private static final class NullOutput implements StagingOutput {
    @Override
    public OutputStream openShard(int shard) {
      return OutputStream.nullOutputStream();
    }

    @Override
    public OutputStream openInvalid() {
      return OutputStream.nullOutputStream();
    }
  }

  /** The rows of {@code SubmitBenchmark}. */
  private static byte[] rows() {
    String padding = "lorem ipsum dolor sit amet ".repeat(LINE_BYTES / 27 + 1);
    StringBuilder all = new StringBuilder(ROWS * (LINE_BYTES + 16));
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
      all.append(line);
    }
    return all.toString().getBytes(StandardCharsets.UTF_8);
  }
}
