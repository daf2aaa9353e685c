package io.batchdrop.cloud.results;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.cloud.firestore.DocumentSnapshot;
import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.Storage;
import io.batchdrop.cloud.firestore.DocumentLease;
import io.batchdrop.cloud.run.RunDoc;
import java.io.IOException;
import java.nio.channels.Channels;
import java.time.Clock;
import java.util.Map;

/**
 * Publishes one {@code invalid} result per row set aside in {@code invalid.jsonl}, streaming the
 * file back from the work bucket. The rejected line itself stays in the file, out of messages. Used
 * by {@code submit} after staging and by {@code poll}'s run watchdog when it ends a run whose
 * submit never finished. Progress is checkpointed every {@link #CHECKPOINT_ROWS} rows, so a
 * redelivery resumes after the last confirmed checkpoint instead of repeating from row 1.
 */
public final class InvalidRowPublisher {
  /** Rows between two checkpoints: a crash repeats at most this many messages. */
  public static final int CHECKPOINT_ROWS = 1000;

  private static final ObjectMapper JSON = new ObjectMapper();
  private final Storage storage;
  private final Clock clock;

  /** Told how many rows (from the first) are confirmed published, after each flush. */
  public interface Checkpoint {
    void published(long rows);
  }

  public InvalidRowPublisher(Storage storage, Clock clock) {
    this.storage = storage;
    this.clock = clock;
  }

  /**
   * Publishes the records after the first {@code alreadyPublished}, checkpointing as it goes, and
   * returns the number of rows confirmed published in total.
   */
  public long publish(
      BlobId invalidFile,
      String runId,
      String model,
      String sourceUri,
      ResultPublisher results,
      long alreadyPublished,
      Checkpoint checkpoint)
      throws IOException, InterruptedException {
    long seen =
        read(
            invalidFile,
            runId,
            model,
            sourceUri,
            alreadyPublished,
            (count, result) -> {
              results.publish(result);
              if ((count - alreadyPublished) % CHECKPOINT_ROWS == 0) {
                results.flush();
                checkpoint.published(count);
              }
            });
    results.flush();
    return seen;
  }

  /**
   * Publishes a run's invalid rows for the lease holder, as submit does after staging and poll's
   * watchdog for a run submit left: resumes after the checkpoint the run document holds, records
   * each checkpoint through the lease, and at the end marks them published and counts them.
   */
  public long publishForRun(
      DocumentSnapshot run,
      DocumentLease lease,
      BlobId invalidFile,
      String model,
      String sourceUri,
      ResultPublisher results)
      throws IOException, InterruptedException {
    Long resumeAt = run.getLong(RunDoc.INVALID_PUBLISHED_ROWS);
    long published =
        publish(
            invalidFile,
            run.getId(),
            model,
            sourceUri,
            results,
            resumeAt == null ? 0 : resumeAt,
            rows -> lease.update(Map.of(RunDoc.INVALID_PUBLISHED_ROWS, rows)));
    lease.update(
        Map.of(
            RunDoc.INVALID_PUBLISHED,
            true,
            RunDoc.INVALID_PUBLISHED_ROWS,
            published,
            RunDoc.COUNTS + ".published",
            published));
    return published;
  }

  /** Told each record's result in file order, with how many records were read so far. */
  public interface Each {
    void accept(long count, RowResult result) throws IOException, InterruptedException;
  }

  /**
   * Reads the records after the first {@code skip} and hands each one's {@code invalid} result to
   * {@code each}, the message {@link #publish} sends for it (also {@code batchdrop replay}'s);
   * returns the number of records in the file.
   */
  public long read(
      BlobId invalidFile, String runId, String model, String sourceUri, long skip, Each each)
      throws IOException, InterruptedException {
    long seen = 0;
    // One parser over the whole file: each record's rejected line (up to the line limit) is
    // skipped, never turned into a String.
    try (JsonParser records =
        JSON.getFactory().createParser(Channels.newInputStream(storage.reader(invalidFile)))) {
      while (records.nextToken() == JsonToken.START_OBJECT) {
        if (seen < skip) {
          records.skipChildren();
          seen++;
          continue;
        }
        long row = 0;
        String key = null;
        JsonNode findings = JSON.createArrayNode();
        while (records.nextToken() == JsonToken.FIELD_NAME) {
          String field = records.currentName();
          records.nextToken();
          switch (field) {
            case "row" -> row = records.getLongValue();
            case "key" -> key = records.getText();
            case "findings" -> findings = JSON.readTree(records);
            default -> records.skipChildren();
          }
        }
        ObjectNode error =
            JSON.createObjectNode().put("code", "invalid").put("message", firstError(findings));
        error.set("findings", findings);
        seen++;
        each.accept(
            seen,
            new RowResult(
                runId,
                row,
                key == null ? "row-" + row : key,
                RowStatus.INVALID,
                0,
                model,
                null,
                null,
                sourceUri,
                clock.instant(),
                null,
                error,
                null));
      }
    }
    return seen;
  }

  private static String firstError(JsonNode findings) {
    for (JsonNode finding : findings) {
      if ("error".equals(finding.path("severity").asText())) {
        JsonNode line = finding.path("line");
        JsonNode column = finding.path("column");
        return "line "
            + line.asLong()
            + (column.asInt() > 0 ? ", column " + column.asInt() : "")
            + ": "
            + finding.path("message").asText();
      }
    }
    return "invalid request";
  }
}
