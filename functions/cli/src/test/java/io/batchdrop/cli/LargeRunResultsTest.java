package io.batchdrop.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.google.cloud.WriteChannel;
import com.google.cloud.firestore.Firestore;
import com.google.cloud.storage.BlobInfo;
import com.google.cloud.storage.Storage;
import io.batchdrop.cloud.firestore.Timestamps;
import io.batchdrop.cloud.jobs.JobDoc;
import io.batchdrop.cloud.run.JobId;
import io.batchdrop.cloud.run.RunDoc;
import io.batchdrop.cloud.run.RunId;
import io.batchdrop.cloud.run.WorkLayout;
import io.batchdrop.testing.LocalCloud;
import io.batchdrop.testing.LocalCloudTest;
import io.batchdrop.testing.LocalDeployment;
import java.io.BufferedOutputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.LongPredicate;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code batchdrop results} on a run of 250,000 rows, in a JVM of its own with a 128 MiB heap: the
 * run's outputs are written straight into the storage emulator as Vertex writes them (two shards,
 * each output split over two files, rows in a shuffled order), with invalid rows in {@code
 * invalid.jsonl} and rows Vertex never answered, so every kind of row comes back in input order.
 */
@LocalCloudTest
@Tag("system")
class LargeRunResultsTest {
  static final int ROWS = 250_000;
  static final int SHARD_ROWS = 200_000;
  static final LongPredicate INVALID = row -> row % 1000 == 0;
  static final LongPredicate MISSING = row -> row % 5000 == 7;

  @TempDir Path dir;

  @Test
  void aRunOf250000RowsComesOutInInputOrderUnderA128MiBHeap(LocalCloud cloud, OpsFixture fx)
      throws Exception {
    RunId run = new RunId("00000000000000250000");
    buildRun(cloud, run);
    Path out = dir.resolve("results.jsonl");

    long started = System.nanoTime();
    Process cli =
        withEnvironment(
                new ProcessBuilder(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx128m",
                    "-Xlog:gc:file=" + dir.resolve("gc.log"),
                    "-cp",
                    System.getProperty("java.class.path"),
                    Main.class.getName(),
                    "results",
                    run.value(),
                    "--out",
                    out.toString()),
                fx.environment())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("cli.log").toFile())
            .start();
    cli.getOutputStream().close();
    assertThat(cli.waitFor(5, TimeUnit.MINUTES)).as("results finished within 5 minutes").isTrue();
    String log = Files.readString(dir.resolve("cli.log"));
    // A measurement for the README, not a threshold: wall time and the GC's last heap figures.
    List<String> gc = Files.readAllLines(dir.resolve("gc.log"));
    System.out.printf(
        "results of %,d rows at -Xmx128m: %.1f s, last GC: %s%n",
        ROWS, (System.nanoTime() - started) / 1e9, gc.isEmpty() ? "none" : gc.get(gc.size() - 1));

    assertThat(cli.exitValue()).as(log).isZero();
    assertThat(log).contains("wrote 250,000 of 250,000 rows to " + out);
    long expected = 1;
    long invalid = 0;
    long missing = 0;
    JsonFactory factory = new JsonFactory();
    try (BufferedReader lines = Files.newBufferedReader(out, StandardCharsets.UTF_8)) {
      String line;
      while ((line = lines.readLine()) != null) {
        long row = 0;
        String status = null;
        try (JsonParser p = factory.createParser(line)) {
          p.nextToken();
          while (p.nextToken() == JsonToken.FIELD_NAME && (row == 0 || status == null)) {
            String field = p.currentName();
            p.nextToken();
            if (field.equals("row")) {
              row = p.getLongValue();
            } else if (field.equals("status")) {
              status = p.getText();
            } else {
              p.skipChildren();
            }
          }
        }
        assertThat(row).as("line " + expected).isEqualTo(expected);
        String want = INVALID.test(row) ? "invalid" : MISSING.test(row) ? "missing" : "succeeded";
        assertThat(status).as("row " + row).isEqualTo(want);
        invalid += status.equals("invalid") ? 1 : 0;
        missing += status.equals("missing") ? 1 : 0;
        expected++;
      }
    }
    assertThat(expected - 1).isEqualTo(ROWS);
    assertThat(invalid).isEqualTo(250);
    assertThat(missing).isEqualTo(50);
  }

  /** The subprocess finds the local cloud the way a user's shell does: from the environment. */
  private static ProcessBuilder withEnvironment(ProcessBuilder builder, Map<String, String> env) {
    builder.environment().putAll(env);
    return builder;
  }

  private static void buildRun(LocalCloud cloud, RunId run) throws Exception {
    Storage storage = cloud.storage();
    Firestore firestore = cloud.firestore();
    WorkLayout layout = new WorkLayout(LocalDeployment.WORK);
    writeObject(
        storage,
        layout.invalidObject(run),
        out -> {
          for (long row = 1; row <= ROWS; row++) {
            if (INVALID.test(row)) {
              out.write(
                  ("{\"row\":"
                          + row
                          + ",\"key\":\"row-"
                          + row
                          + "\",\"findings\":[{\"line\":"
                          + row
                          + ",\"column\":1,\"code\":\"json-syntax\",\"path\":\"\",\"message\":\"the"
                          + " line is not valid JSON\",\"severity\":\"error\"}],\"line\":\"{\"}\n")
                      .getBytes(StandardCharsets.UTF_8));
            }
          }
        });
    List<String> jobIds = new ArrayList<>();
    for (int shard = 1; shard <= 2; shard++) {
      long first = shard == 1 ? 1 : SHARD_ROWS + 1;
      long last = shard == 1 ? SHARD_ROWS : ROWS;
      JobId job = new JobId(run, shard, 1);
      jobIds.add(job.value());
      long valid = 0;
      for (long row = first; row <= last; row++) {
        valid += INVALID.test(row) ? 0 : 1;
      }
      writeObject(
          storage,
          layout.inputObject(job),
          out -> {
            for (long row = first; row <= last; row++) {
              if (!INVALID.test(row)) {
                out.write(staged(row).getBytes(StandardCharsets.UTF_8));
              }
            }
          });
      String directory = layout.outputPrefix(job) + "prediction-model-2026-12-01T10:00:00Z/";
      // Vertex's order is not the input's: a fixed permutation of the shard's rows, in two files.
      long span = last - first + 1;
      for (int file = 0; file < 2; file++) {
        int part = file;
        writeObject(
            storage,
            directory + "predictions_" + (file + 1) + ".jsonl",
            out -> {
              for (long i = part; i < span; i += 2) {
                long row = first + (i * 7919) % span;
                if (!INVALID.test(row) && !MISSING.test(row)) {
                  out.write(prediction(row).getBytes(StandardCharsets.UTF_8));
                }
              }
            });
      }
      Map<String, Object> doc = new HashMap<>();
      doc.put(JobDoc.RUN_ID, run.value());
      doc.put(JobDoc.SHARD, shard);
      doc.put(JobDoc.ATTEMPT, 1);
      doc.put(JobDoc.MODEL, "gemini-2.5-flash");
      doc.put(JobDoc.STATE, "JOB_STATE_SUCCEEDED");
      doc.put(JobDoc.ROWS, valid);
      doc.put(JobDoc.FIRST_ROW, first);
      doc.put(JobDoc.LAST_ROW, last);
      doc.put(JobDoc.INPUT_URI, layout.inputUri(job));
      doc.put(JobDoc.OUTPUT_URI_PREFIX, layout.outputUriPrefix(job));
      doc.put(JobDoc.OUTPUT_DIRECTORY, layout.uri(directory));
      doc.put(JobDoc.ACTIVE, false);
      doc.put(JobDoc.PUBLISH_DONE, true);
      firestore.collection(JobDoc.COLLECTION).document(job.value()).set(doc).get();
    }
    Map<String, Object> doc = new HashMap<>();
    doc.put(RunDoc.STATE, "PARTIAL");
    doc.put(RunDoc.MODEL, "gemini-2.5-flash");
    doc.put(RunDoc.SOURCE, Map.of("uri", "gs://batchdrop-inbox/incoming/big.jsonl"));
    doc.put(
        RunDoc.COUNTS,
        Map.of(
            "rows",
            ROWS,
            "valid",
            ROWS - 250,
            "invalid",
            250,
            "succeeded",
            ROWS - 300,
            "failed",
            0,
            "missing",
            50));
    doc.put(RunDoc.JOB_IDS, jobIds);
    doc.put(RunDoc.CLOSED, true);
    doc.put(RunDoc.CREATED_AT, Timestamps.of(Instant.now()));
    firestore.collection(RunDoc.COLLECTION).document(run.value()).set(doc).get();
  }

  static String staged(long row) {
    return "{\"key\":\"row-"
        + row
        + "\",\"request\":{\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"question "
        + row
        + "\"}]}],\"labels\":{\"batchdrop_row\":\"row-"
        + row
        + "\"}}}\n";
  }

  static String prediction(long row) {
    return "{\"status\":\"\",\"processed_time\":\"2026-12-01T10:00:00.000+00:00\",\"key\":\"row-"
        + row
        + "\",\"request\":{\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"question "
        + row
        + "\"}]}],\"labels\":{\"batchdrop_row\":\"row-"
        + row
        + "\"}},\"response\":{\"candidates\":[{\"content\":{\"role\":\"model\",\"parts\":[{\"text\":"
        + "\"answer "
        + row
        + "\"}]},\"finishReason\":\"STOP\"}],\"usageMetadata\":{\"promptTokenCount\":3,"
        + "\"candidatesTokenCount\":2,\"totalTokenCount\":5},\"modelVersion\":\"gemini-2.5-flash\"}}\n";
  }

  interface Writer {
    void write(OutputStream out) throws IOException;
  }

  private static void writeObject(Storage storage, String name, Writer writer) throws IOException {
    try (WriteChannel channel =
            storage.writer(BlobInfo.newBuilder(LocalDeployment.WORK, name).build());
        OutputStream out = new BufferedOutputStream(Channels.newOutputStream(channel), 1 << 20)) {
      writer.write(out);
    }
  }
}
