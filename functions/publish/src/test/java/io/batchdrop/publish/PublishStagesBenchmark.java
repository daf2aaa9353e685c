package io.batchdrop.publish;

import com.google.pubsub.v1.PubsubMessage;
import io.batchdrop.cloud.results.PubSubLimits;
import io.batchdrop.pricing.Cost;
import io.batchdrop.pricing.ModelPrice;
import io.batchdrop.pricing.PriceTable;
import io.batchdrop.pricing.TokenUsage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.Random;
import jdk.jfr.Recording;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Where publish's CPU goes per row, with no network: the same 2.4 KB output lines as {@code bench
 * publish} (request echoed with its label, an echo answer, usageMetadata) read from memory, then
 * each stage added in turn: parse and classify, write the result data, build the message
 * (attributes), check it against Pub/Sub's limits. Best of {@code bench.repeat} (5) after a
 * warm-up, the stages taking turns; prints rows/s and CPU µs a row of each cumulative stage. Run
 * with {@code mvn -pl functions/publish surefire:test -Dgroups=benchmark
 * -Dbatchdrop.test.excludedGroups= -Dbatchdrop.test.jvm= -Dbatchdrop.emulator.jvmOptions=
 * -Dtest=PublishStagesBenchmark}.
 */
@Tag("benchmark")
class PublishStagesBenchmark {
  private static final int ROWS = Integer.getInteger("bench.rows", 50_000);
  private static final String[] WORDS =
      ("the batch inference quarterly report shows revenue growth of customer support tickets"
              + " were resolved within two days région données straße größe データ 東京 请 总结")
          .split(" ");

  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  private static final int REPEAT = Integer.getInteger("bench.repeat", 5);

  enum Stage {
    /** Parsing and classifying with every line through the streaming path (the path before). */
    PARSE_STREAMING,
    PARSE,
    DATA,
    MESSAGE,
    CHECKED,
    /** And the row's tokens and cost added up, as publish does for each row. */
    ACCOUNTED,
    /**
     * The whole path with {@code BATCHDROP_SPILL_INLINE_MEDIA} on, over rows without inline media
     * (what they pay for the setting: the look for {@code "inline}).
     */
    MEDIA_ON,
    /**
     * The whole path as it was before 2026-12-01 20:00: every line streamed, the data through
     * Jackson's generator, the tokens and a BigDecimal cost summed a row.
     */
    BEFORE
  }

  private static final String MODEL = "gemini-2.5-flash";
  private static final PriceTable PRICES = PriceTable.builtIn();
  private static final Optional<ModelPrice> PRICE = PRICES.price(MODEL);

  @Test
  void printsRowsPerSecondOfEachStage() throws Exception {
    byte[] file = output(ROWS, new Random(9));
    String jfr = System.getProperty("bench.jfr");
    if (jfr != null) {
      // A CPU profile of the whole path (-Dbench.jfr=FILE; read with `jfr print --events
      // jdk.ExecutionSample FILE`).
      try (Recording recording = new Recording()) {
        recording.enable("jdk.ExecutionSample").withPeriod(Duration.ofMillis(5));
        recording.start();
        for (int i = 0; i < 10; i++) {
          run(file, Stage.ACCOUNTED);
        }
        recording.stop();
        recording.dump(Path.of(jfr));
      }
    }
    System.out.printf(
        Locale.ROOT, "%,d rows, %,d bytes a line%n", ROWS, file.length / Math.max(1, ROWS));
    Stage[] stages = Stage.values();
    for (Stage stage : stages) {
      run(file, stage); // warm-up
    }
    long[] best = new long[stages.length];
    long[] bestCpu = new long[stages.length];
    Arrays.fill(best, Long.MAX_VALUE);
    Arrays.fill(bestCpu, Long.MAX_VALUE);
    // Stages take turns, so a busy moment of the shared machine falls on all of them alike.
    for (int i = 0; i < REPEAT; i++) {
      for (Stage stage : stages) {
        long start = System.nanoTime();
        long startCpu = THREADS.getCurrentThreadCpuTime();
        run(file, stage);
        int s = stage.ordinal();
        bestCpu[s] = Math.min(bestCpu[s], THREADS.getCurrentThreadCpuTime() - startCpu);
        best[s] = Math.min(best[s], System.nanoTime() - start);
      }
    }
    // This thread's CPU time is the figure to compare: the machine is shared, wall time is not.
    for (Stage stage : stages) {
      int s = stage.ordinal();
      System.out.printf(
          Locale.ROOT,
          "through %-15s %,10.0f rows/s (%.2f µs a row wall, %.2f µs a row CPU)%n",
          stage,
          ROWS / (best[s] / 1e9),
          best[s] / 1e3 / ROWS,
          bestCpu[s] / 1e3 / ROWS);
    }
  }

  private static long run(byte[] file, Stage stage) throws Exception {
    ResultContext context = new ResultContext("0123456789abcdef0123", "job-s1-a1", 1, MODEL);
    ResultData writer = new ResultData(context);
    boolean before = stage == Stage.BEFORE;
    boolean media = stage == Stage.MEDIA_ON;
    InlineMedia.Target noMedia =
        (offset, candidate, part, mimeType) -> {
          throw new AssertionError("the bench's lines carry no inline media");
        };
    Progress p = new Progress();
    TokenUsage tokens = TokenUsage.ZERO;
    Cost cost = Cost.ZERO;
    long sink = 0;
    try (PredictionReader reader =
        new PredictionReader(
            new ByteArrayInputStream(file),
            0,
            new MemorySpillTarget(false),
            PredictionReader.DEFAULT_IN_MEMORY_LIMIT,
            false,
            stage != Stage.PARSE_STREAMING && !before)) {
      PredictionRow row;
      while ((row = reader.next()) != null) {
        RowVerdict verdict = RowVerdict.of(row);
        if (media && verdict.succeeded()) {
          row = InlineMedia.rewrite(row, noMedia);
        }
        if (stage == Stage.PARSE || stage == Stage.PARSE_STREAMING) {
          sink += row.endOffset();
          continue;
        }
        byte[] data =
            before
                ? ResultData.generated(context, row, verdict, null)
                : writer.toBytes(row, verdict, null);
        if (stage == Stage.DATA) {
          sink += data.length;
          continue;
        }
        PubsubMessage message =
            ResultSender.message(context, "gs://inbox/bench.jsonl", row, verdict, data);
        sink += message.getAttributesCount();
        if (stage == Stage.MESSAGE) {
          continue;
        }
        sink += PubSubLimits.problem(message).isPresent() ? 1 : 0;
        if (stage == Stage.CHECKED) {
          continue;
        }
        TokenUsage usage = row.response().usage();
        if (before) {
          // The accounting before: the tokens and a BigDecimal cost summed a row.
          tokens = tokens.plus(usage);
          cost = cost.plus(PRICES.cost(MODEL, usage).orElseThrow());
        } else {
          p.addUsage(usage, PRICE);
        }
      }
    }
    p.foldUsage();
    return sink + p.tokens.total() + tokens.total() + cost.totalUsd().signum();
  }

  /** Lines as the Vertex emulator writes them for bench publish's requests. */
  static byte[] output(int rows, Random random) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(rows * 2500);
    StringBuilder line = new StringBuilder(4096);
    StringBuilder prompt = new StringBuilder(2048);
    for (int row = 1; row <= rows; row++) {
      prompt.setLength(0);
      prompt.append("Summarise document ").append(row).append(':');
      int length = 350 + random.nextInt(901);
      while (prompt.length() < length) {
        prompt.append(' ').append(WORDS[random.nextInt(WORDS.length)]);
      }
      line.setLength(0);
      line.append("{\"status\":\"\",\"processed_time\":\"2026-12-01T10:00:00.000+00:00\",")
          .append("\"key\":\"doc-")
          .append(row)
          .append("\",\"request\":{\"systemInstruction\":{\"parts\":[{\"text\":\"You are a")
          .append(" careful analyst.\"}]},\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"")
          .append(prompt)
          .append("\"}]}],\"generationConfig\":{\"temperature\":0.2},\"labels\":")
          .append("{\"batchdrop_row\":\"row-")
          .append(row)
          .append("\"}},\"response\":{\"candidates\":[{\"content\":{\"role\":\"model\",\"parts\":")
          .append("[{\"text\":\"echo: ")
          .append(prompt)
          .append("\"}]},\"finishReason\":\"STOP\",\"avgLogprobs\":-0.1}],\"usageMetadata\":")
          .append(
              "{\"promptTokenCount\":300,\"candidatesTokenCount\":300,\"totalTokenCount\":600},")
          .append("\"modelVersion\":\"gemini@default\"}}\n");
      out.writeBytes(line.toString().getBytes(StandardCharsets.UTF_8));
    }
    return out.toByteArray();
  }
}
