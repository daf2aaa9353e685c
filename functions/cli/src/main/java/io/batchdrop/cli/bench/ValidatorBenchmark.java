package io.batchdrop.cli.bench;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.batchdrop.validation.ValidationReport;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.StringWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * {@code bench validate}: on one synthetic file, in one JVM, times the raw Jackson token scan (the
 * floor), our validator, and protobuf JsonFormat per line (the obvious alternative). Each contender
 * first warms up on the file's first 32 MB; then the contenders take turns reading the whole file,
 * {@code runs} rounds; each one's best run counts. The last line printed is a JSON object of the
 * figures.
 */
public final class ValidatorBenchmark {
  private static final long WARM_UP_BYTES = 32L << 20;
  private static final double MB = 1 << 20;

  private final PrintStream out;

  public ValidatorBenchmark(PrintStream out) {
    this.out = out;
  }

  public void run(BenchOptions options, Path benchDataDir) throws IOException {
    BenchFile file = prepare(options, benchDataDir);
    String figures;
    try {
      figures = measureAll(file, options.runs());
    } finally {
      if (file.generated() && !options.keep()) {
        Files.deleteIfExists(file.path());
        out.println("deleted " + file.path() + " (--keep keeps it)");
      }
    }
    out.println(figures);
  }

  /** Only writes (or finds) the benchmark's input file, and keeps it; returns its path. */
  public Path generate(BenchOptions options, Path benchDataDir) throws IOException {
    return prepare(options, benchDataDir).path();
  }

  private BenchFile prepare(BenchOptions options, Path benchDataDir) throws IOException {
    Path path =
        options.file() != null
            ? options.file()
            : benchDataDir.resolve("bench-" + options.sizeMb() + "mb.jsonl");
    // A file named with --file is the user's: benchmarked as it is, never replaced or deleted.
    return options.file() != null && Files.isRegularFile(path)
        ? new BenchFile(path, Files.size(path), false)
        : BenchFile.prepare(path, options.sizeMb(), out);
  }

  /** Prints the measurements; returns the figures line, which must come last. */
  private String measureAll(BenchFile file, int runs) throws IOException {
    out.printf(
        Locale.ROOT,
        "file: %s, %.1f MB (1 MB = 2^20 bytes); JVM max heap %d MB, %d cores%n",
        file.path(),
        file.size() / MB,
        Runtime.getRuntime().maxMemory() >> 20,
        Runtime.getRuntime().availableProcessors());
    out.printf(
        "each contender: warm-up on the first %d MB, then the best of %d full runs "
            + "(taking turns, so a busy moment of the machine hits all of them alike)%n",
        WARM_UP_BYTES >> 20, runs);
    ValidatorScan validator = new ValidatorScan();
    List<Contender> contenders = List.of(new RawTokenScan(), validator, new JsonFormatScan());
    for (Contender contender : contenders) {
      try (InputStream warmUp =
          new LinePrefixInputStream(Files.newInputStream(file.path()), WARM_UP_BYTES)) {
        contender.scan(warmUp);
      }
    }
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    List<List<Double>> seconds = new ArrayList<>();
    List<List<Double>> cpuSeconds = new ArrayList<>();
    long[] peakUsed = new long[contenders.size()];
    long[] maxLive = new long[contenders.size()];
    for (int i = 0; i < contenders.size(); i++) {
      seconds.add(new ArrayList<>());
      cpuSeconds.add(new ArrayList<>());
    }
    try (HeapWatch heap = new HeapWatch()) {
      for (int run = 0; run < runs; run++) {
        for (int i = 0; i < contenders.size(); i++) {
          System.gc(); // start each run with an empty young generation: fewer stray pauses
          heap.reset();
          long start = System.nanoTime();
          long cpuStart = threads.getCurrentThreadCpuTime();
          try (InputStream in = Files.newInputStream(file.path())) {
            contenders.get(i).scan(in);
          }
          cpuSeconds.get(i).add((threads.getCurrentThreadCpuTime() - cpuStart) / 1e9);
          seconds.get(i).add((System.nanoTime() - start) / 1e9);
          peakUsed[i] = Math.max(peakUsed[i], heap.peakUsedBytes());
          maxLive[i] = Math.max(maxLive[i], heap.maxLiveAfterGcBytes());
        }
      }
    }
    List<Measurement> results = new ArrayList<>();
    for (int i = 0; i < contenders.size(); i++) {
      Measurement m =
          new Measurement(
              contenders.get(i).name(),
              file.size(),
              seconds.get(i),
              cpuSeconds.get(i),
              peakUsed[i],
              maxLive[i]);
      print(m);
      results.add(m);
    }
    report(validator.lastReport());
    double raw = results.get(0).mbPerSecond();
    double ours = results.get(1).mbPerSecond();
    double jsonFormat = results.get(2).mbPerSecond();
    out.printf(
        Locale.ROOT,
        "validator / raw scan:   %.2f (target >= 0.75, issue #14); by CPU time %.2f%n",
        ours / raw,
        results.get(1).mbPerCpuSecond() / results.get(0).mbPerCpuSecond());
    out.printf(
        Locale.ROOT,
        "validator / JsonFormat: %.2f (target >= 5); by CPU time %.2f%n",
        ours / jsonFormat,
        results.get(1).mbPerCpuSecond() / results.get(2).mbPerCpuSecond());
    return figures(ours, raw, jsonFormat, ours / raw, ours / jsonFormat);
  }

  private void print(Measurement m) {
    out.printf(
        Locale.ROOT,
        "%-44s %7.1f MB/s  (runs: %s s; by CPU time %.1f MB/s; heap: peak used %d MB, max live after GC %s)%n",
        m.name() + ":",
        m.mbPerSecond(),
        m.runSeconds().stream()
            .map(s -> String.format(Locale.ROOT, "%.2f", s))
            .collect(Collectors.joining(" ")),
        m.mbPerCpuSecond(),
        m.peakHeapUsedBytes() >> 20,
        m.maxLiveHeapBytes() == 0 ? "n/a (no GC)" : (m.maxLiveHeapBytes() >> 20) + " MB");
  }

  private void report(ValidationReport report) {
    out.printf(
        "  the validator saw %d rows: %d valid, %d invalid, %d warnings%n",
        report.rows(), report.valid(), report.invalid(), report.warnings());
  }

  static String figures(
      double validator, double raw, double jsonFormat, double vsRaw, double vsJsonFormat) {
    StringWriter text = new StringWriter();
    try (JsonGenerator json = new JsonFactory().createGenerator(text)) {
      json.writeStartObject();
      json.writeNumberField("validator_mb_s", twoDecimals(validator));
      json.writeNumberField("raw_scan_mb_s", twoDecimals(raw));
      json.writeNumberField("jsonformat_mb_s", twoDecimals(jsonFormat));
      json.writeNumberField("ratio_vs_raw", twoDecimals(vsRaw));
      json.writeNumberField("ratio_vs_jsonformat", twoDecimals(vsJsonFormat));
      json.writeEndObject();
    } catch (IOException e) {
      throw new IllegalStateException("writing to a string cannot fail", e);
    }
    return text.toString();
  }

  private static BigDecimal twoDecimals(double value) {
    return BigDecimal.valueOf(value).setScale(2, RoundingMode.HALF_UP);
  }
}
