package io.batchdrop.cli.bench;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.batchdrop.validation.ValidationReport;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * {@code bench validate}: on one synthetic file, in one JVM, times the raw Jackson token scan
 * (the floor), our validator, and protobuf JsonFormat per line (the obvious alternative). Each
 * contender first warms up on the file's first 32 MB, then runs over the whole file
 * {@code runs} times; the best run counts. The last line printed is a JSON object of the figures.
 */
public final class ValidatorBenchmark {
  private static final long WARM_UP_BYTES = 32L << 20;
  private static final double MB = 1 << 20;

  private final PrintStream out;

  public ValidatorBenchmark(PrintStream out) {
    this.out = out;
  }

  public void run(BenchOptions options, Path benchDataDir) throws IOException {
    Path path = options.file() != null
        ? options.file()
        : benchDataDir.resolve("bench-" + options.sizeMb() + "mb.jsonl");
    BenchFile file = options.file() != null && Files.isRegularFile(path)
        ? new BenchFile(path, Files.size(path), false)
        : BenchFile.prepare(path, options.sizeMb(), out);
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

  /** Prints the measurements; returns the figures line, which must come last. */
  private String measureAll(BenchFile file, int runs) throws IOException {
    out.printf(Locale.ROOT, "file: %s, %.1f MB (1 MB = 2^20 bytes); JVM max heap %d MB, %d cores%n",
        file.path(), file.size() / MB, Runtime.getRuntime().maxMemory() >> 20,
        Runtime.getRuntime().availableProcessors());
    out.printf("each contender: warm-up on the first %d MB, then the best of %d full runs%n",
        WARM_UP_BYTES >> 20, runs);
    ValidatorScan validator = new ValidatorScan();
    Measurement raw = measure(new RawTokenScan(), file, runs);
    Measurement ours = measure(validator, file, runs);
    report(validator.lastReport());
    Measurement jsonFormat = measure(new JsonFormatScan(), file, runs);

    double vsRaw = ours.mbPerSecond() / raw.mbPerSecond();
    double vsJsonFormat = ours.mbPerSecond() / jsonFormat.mbPerSecond();
    out.printf(Locale.ROOT, "validator / raw scan:   %.2f (target >= 0.5)%n", vsRaw);
    out.printf(Locale.ROOT, "validator / JsonFormat: %.2f (target >= 5)%n", vsJsonFormat);
    return figures(ours.mbPerSecond(), raw.mbPerSecond(), jsonFormat.mbPerSecond(), vsRaw, vsJsonFormat);
  }

  private Measurement measure(Contender contender, BenchFile file, int runs) throws IOException {
    try (InputStream warmUp = new LinePrefixInputStream(Files.newInputStream(file.path()), WARM_UP_BYTES)) {
      contender.scan(warmUp);
    }
    List<Double> seconds = new ArrayList<>();
    long peakUsed = 0;
    long maxLive = 0;
    try (HeapWatch heap = new HeapWatch()) {
      for (int run = 0; run < runs; run++) {
        System.gc(); // start each run with an empty young generation: fewer stray pauses
        heap.reset();
        long start = System.nanoTime();
        try (InputStream in = Files.newInputStream(file.path())) {
          contender.scan(in);
        }
        seconds.add((System.nanoTime() - start) / 1e9);
        peakUsed = Math.max(peakUsed, heap.peakUsedBytes());
        maxLive = Math.max(maxLive, heap.maxLiveAfterGcBytes());
      }
    }
    Measurement m = new Measurement(contender.name(), file.size(), seconds, peakUsed, maxLive);
    out.printf(Locale.ROOT, "%-44s %8.1f MB/s  (runs: %s s; heap: peak used %d MB, max live after GC %s)%n",
        m.name() + ":", m.mbPerSecond(),
        seconds.stream().map(s -> String.format(Locale.ROOT, "%.2f", s)).collect(Collectors.joining(" ")),
        peakUsed >> 20, maxLive == 0 ? "n/a (no GC)" : (maxLive >> 20) + " MB");
    return m;
  }

  private void report(ValidationReport report) {
    out.printf("  validator saw %d rows: %d valid, %d invalid, %d warnings%n",
        report.rows(), report.valid(), report.invalid(), report.warnings());
  }

  static String figures(double validator, double raw, double jsonFormat, double vsRaw, double vsJsonFormat) {
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
