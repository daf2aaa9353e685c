package io.batchdrop.publish;

import com.google.cloud.ReadChannel;
import com.google.cloud.firestore.DocumentSnapshot;
import com.google.cloud.storage.Blob;
import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.Storage;
import com.google.pubsub.v1.PubsubMessage;
import io.batchdrop.cloud.config.BatchdropConfig;
import io.batchdrop.cloud.results.InvalidRowPublisher;
import io.batchdrop.cloud.results.PubSubLimits;
import io.batchdrop.cloud.results.RowStatus;
import io.batchdrop.cloud.run.JobId;
import io.batchdrop.cloud.run.RunDoc;
import io.batchdrop.cloud.run.WorkLayout;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.channels.Channels;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The result messages a finished run was given, read again from what it left (design §6): {@code
 * invalid.jsonl}, each job attempt's output and staged input. A row read from an attempt's output
 * was published by that attempt unless the next attempt's shard holds it (it was held back for a
 * retry); the last attempt's rows without output got {@code missing} (or {@code failed} when no job
 * ran). Messages are built by the same code publish sends them with, so attributes, {@code
 * dedup_id} and data are the same; only {@code processedTime} of rows without output (invalid,
 * missing) is the time of the replay, since publish stamped them with its own clock. Nothing is
 * written: a response that publish moved to {@code payloads/} gets the same {@code payload_uri}.
 * Memory stays bounded: one output line at a time and two row bitsets per shard.
 */
public final class RunReplay {

  /**
   * What the run left no longer holds what its messages were built from (a staged input or an
   * output gone or rewritten since the job was published): said, not guessed. The messages handed
   * to the sink before were the run's.
   */
  public static final class CannotRebuildException extends IOException {
    CannotRebuildException(String message) {
      super(message);
    }
  }

  /** Told each message, with its row. */
  public interface Sink {
    void accept(long row, RowStatus status, PubsubMessage message)
        throws IOException, InterruptedException;
  }

  private final Storage storage;
  private final BatchdropConfig config;
  private final WorkLayout layout;
  private final Clock clock;

  public RunReplay(Storage storage, BatchdropConfig config, Clock clock) {
    this.storage = storage;
    this.config = config;
    this.layout = new WorkLayout(config.workBucket());
    this.clock = clock;
  }

  /**
   * Hands every message of the run to {@code sink}: the invalid rows first, then shard by shard.
   *
   * @param jobs every job document of the run, any order
   */
  public void replay(DocumentSnapshot run, List<DocumentSnapshot> jobs, Sink sink)
      throws IOException, InterruptedException {
    String runId = run.getId();
    String model = run.getString(RunDoc.MODEL);
    String sourceUri = run.getString(RunDoc.SOURCE + ".uri");
    BlobId invalid =
        BlobId.of(
            layout.workBucket(), layout.invalidObject(new io.batchdrop.cloud.run.RunId(runId)));
    if (storage.get(invalid) != null) {
      new InvalidRowPublisher(storage, clock)
          .read(
              invalid,
              runId,
              model,
              sourceUri,
              0,
              (count, result) -> sink.accept(result.row(), RowStatus.INVALID, result.toMessage()));
    }
    Map<Integer, List<FinishedJob>> shards = new TreeMap<>();
    Map<String, DocumentSnapshot> docs = new java.util.HashMap<>();
    Map<String, RowSet> heldBackByJob = new java.util.HashMap<>();
    for (DocumentSnapshot job : jobs) {
      FinishedJob finished = FinishedJob.of(job, run, config.publish().maxAttempts());
      shards.computeIfAbsent(finished.jobId().shard(), s -> new ArrayList<>()).add(finished);
      docs.put(job.getId(), job);
      heldBackByJob.put(
          job.getId(), Progress.of(job, finished.firstRow(), finished.lastRow()).retry);
    }
    for (List<FinishedJob> attempts : shards.values()) {
      attempts.sort(Comparator.comparingInt(j -> j.jobId().attempt()));
      for (int i = 0; i < attempts.size(); i++) {
        FinishedJob job = attempts.get(i);
        // The rows an attempt held back, from its checkpoint: the next attempt published them, or,
        // held back by the last one and then not retried (the run was cancelled or failed in
        // between), they were sent failed, not_retried, without their output.
        RowSet heldBack = heldBackByJob.get(job.jobId().value());
        List<DocumentSnapshot> earlier = new ArrayList<>();
        for (FinishedJob before : attempts.subList(0, i)) {
          earlier.add(docs.get(before.jobId().value()));
        }
        RowSet seen = outputs(job, earlier, heldBack, sink);
        requireSameOutput(job, docs.get(job.jobId().value()), seen);
        if (i + 1 == attempts.size()) {
          leftovers(job, docs.get(job.jobId().value()), earlier, seen, heldBack, sink);
        }
      }
    }
  }

  private RowSet outputs(
      FinishedJob job, List<DocumentSnapshot> earlier, RowSet heldBack, Sink sink)
      throws IOException, InterruptedException {
    RowSet seen = new RowSet(job.firstRow(), job.lastRow());
    if (job.submitFailed() || job.outputLocation() == null) {
      return seen;
    }
    ResultData data = new ResultData(job.context());
    RowSet members =
        JobDrain.shardRows(
            storage, layout, clock, job, seen, config.maxStagedLineBytes(), () -> earlier);
    try (StagedKeys keys = StagedKeys.forJob(storage, job, config.maxStagedLineBytes())) {
      for (OutputFiles.OutputFile file :
          OutputFiles.list(storage, GcsLocation.parse(job.outputLocation()), job.jobId().value())) {
        replayFile(job, file, heldBack, seen, members, keys, data, sink);
      }
    }
    return seen;
  }

  /** One output file, read as publish read it: the same reader, keys and skips. */
  private void replayFile(
      FinishedJob job,
      OutputFiles.OutputFile file,
      RowSet heldBack,
      RowSet seen,
      RowSet members,
      StagedKeys keys,
      ResultData data,
      Sink sink)
      throws IOException, InterruptedException {
    ResultContext context = job.context();
    PayloadNames payloads = new PayloadNames(job.jobId(), file.index());
    try (ReadChannel channel =
        storage.reader(BlobId.of(file.bucket(), file.name(), file.generation()))) {
      channel.setChunkSize(2 << 20);
      try (PredictionReader reader =
          new PredictionReader(
              Channels.newInputStream(channel),
              0,
              payloads,
              config.publish().inMemoryResponseBytes(),
              job.rowsKeyedByNumber())) {
        PredictionRow row;
        while ((row = reader.next()) != null) {
          row = StagedKeys.keyed(keys, row);
          if (!row.attributable()
              || !seen.inRange(row.row())
              || (members != null && !members.contains(row.row()))
              || !seen.add(row.row())) {
            continue; // publish skipped it too: unattributable, another shard's, a duplicate
          }
          if (heldBack != null && heldBack.contains(row.row())) {
            continue; // held back: the next attempt published it, or it was sent not_retried
          }
          RowVerdict verdict = RowVerdict.of(row);
          if (config.publish().spillInlineMedia() && verdict.succeeded()) {
            row =
                row.response() != null && !row.response().inMemory()
                    ? payloads.rewrittenIfThere(row)
                    : InlineMedia.rewrite(row, payloads); // names only: the media is there
          }
          byte[] bytes = data.toBytes(row, verdict, null);
          if (bytes.length > PubSubLimits.MAX_RESULT_DATA_BYTES) {
            bytes = data.toBytes(row, verdict, payloads.uri(row.offset()));
          }
          sink.accept(
              row.row(),
              verdict.succeeded() ? RowStatus.SUCCEEDED : RowStatus.FAILED,
              ResultSender.message(context, job.sourceUri(), row, verdict, bytes));
        }
      }
    }
  }

  /**
   * The rows read from the job's output now must be those publish read (its checkpoint's {@code
   * seen}): output deleted or rewritten since would otherwise be replayed as other outcomes (a row
   * that succeeded sent {@code missing}), which is said rather than sent.
   */
  private static void requireSameOutput(FinishedJob job, DocumentSnapshot doc, RowSet seen)
      throws IOException {
    if (doc.getBlob(Progress.PREFIX + "seen") == null) {
      return; // no checkpoint to compare with (a job published before it had one)
    }
    RowSet published = Progress.of(doc, job.firstRow(), job.lastRow()).seen;
    boolean same = published.cardinality() == seen.cardinality();
    for (long row = job.firstRow(); same && row <= job.lastRow(); row++) {
      same = published.contains(row) == seen.contains(row);
    }
    if (!same) {
      throw new CannotRebuildException(
          "the output of job "
              + job.jobId()
              + " is not what it was when the job was published ("
              + published.cardinality()
              + " rows read then, "
              + seen.cardinality()
              + " now: deleted, past the work bucket's work_retention_days, or rewritten): its"
              + " messages cannot be rebuilt");
    }
  }

  private void leftovers(
      FinishedJob job,
      DocumentSnapshot doc,
      List<DocumentSnapshot> earlier,
      RowSet seen,
      RowSet notRetried,
      Sink sink)
      throws IOException, InterruptedException {
    boolean noneHeldBack = notRetried == null || notRetried.cardinality() == 0;
    if ((seen.cardinality() >= job.rows() && noneHeldBack) || job.inputUri() == null) {
      return;
    }
    GcsLocation input = GcsLocation.parse(job.inputUri());
    if (storage.get(BlobId.of(input.bucket(), input.prefix())) == null) {
      stagedInputGone(job, doc, earlier, seen, notRetried, sink);
      return;
    }
    var error = JobDrain.leftoverError(job);
    var notRetriedError = JobDrain.notRetried(job);
    RowStatus status = job.submitFailed() ? RowStatus.FAILED : RowStatus.MISSING;
    ResultContext context = job.context();
    forEachStaged(
        job,
        row -> {
          if (!seen.contains(row.row())) {
            sink.accept(
                row.row(),
                status,
                ResultSender.withoutOutput(
                    context, job.sourceUri(), clock, row.row(), row.key(), status, error));
          } else if (!noneHeldBack && notRetried.contains(row.row())) {
            sink.accept(
                row.row(),
                RowStatus.FAILED,
                ResultSender.withoutOutput(
                    context,
                    job.sourceUri(),
                    clock,
                    row.row(),
                    row.key(),
                    RowStatus.FAILED,
                    notRetriedError));
          }
        });
  }

  /**
   * The rows publish ended without the staged shard ({@link GoneShard}), as its checkpoint recorded
   * it did; a shard gone only after it was published leaves its rows' messages (their keys, their
   * place among the invalid rows) impossible to rebuild, which is said rather than guessed.
   */
  private void stagedInputGone(
      FinishedJob job,
      DocumentSnapshot doc,
      List<DocumentSnapshot> earlier,
      RowSet seen,
      RowSet heldBack,
      Sink sink)
      throws IOException, InterruptedException {
    Progress p = Progress.of(doc, job.firstRow(), job.lastRow());
    if (p.stagedGone == null) {
      throw new CannotRebuildException(
          "the staged input "
              + job.inputUri()
              + " of job "
              + job.jobId()
              + " is gone (deleted, or past the work bucket's work_retention_days) since the job"
              + " was published: the messages of its rows without output cannot be rebuilt");
    }
    GoneShard gone = new GoneShard(storage, layout, clock);
    RowSet invalid = gone.invalidRows(job, GoneShard.firstAttemptRows(job, earlier));
    ResultContext context = job.context();
    gone.end(
        job,
        seen,
        heldBack == null ? new RowSet(job.firstRow(), job.lastRow()) : heldBack,
        GoneShard.answeredBefore(job, earlier),
        invalid,
        p.stagedGone.fromRow(),
        new GoneShard.Plan(p.stagedGone.unseenEnd(), null),
        0,
        (row, status, error) ->
            sink.accept(
                row,
                status,
                ResultSender.withoutOutput(
                    context, job.sourceUri(), clock, row, null, status, error)));
  }

  private interface StagedRowAction {
    void accept(StagedRows.StagedRow row) throws IOException, InterruptedException;
  }

  private void forEachStaged(FinishedJob job, StagedRowAction action)
      throws IOException, InterruptedException {
    if (job.inputUri() == null) {
      return;
    }
    GcsLocation input = GcsLocation.parse(job.inputUri());
    try (ReadChannel channel = storage.reader(BlobId.of(input.bucket(), input.prefix()))) {
      channel.setChunkSize(2 << 20);
      StagedRows rows =
          new StagedRows(Channels.newInputStream(channel), 0, config.maxStagedLineBytes());
      StagedRows.StagedRow row;
      while ((row = rows.next()) != null) {
        action.accept(row);
      }
    }
  }

  /**
   * The names publish gave spilled responses ({@link GcsSpillTarget}), without writing anything:
   * the payload is already there.
   */
  private final class PayloadNames implements SpillTarget, InlineMedia.Target {
    private final JobId job;
    private final int file;

    PayloadNames(JobId job, int file) {
      this.job = job;
      this.file = file;
    }

    URI uri(long lineOffset) {
      return URI.create(layout.uri(layout.payloadObject(job, file, lineOffset)));
    }

    /**
     * A spilled response publish rewrote names the rewritten object, which publish finishes only
     * when the rewrite succeeded and moved media: there, it was the payload sent; absent (no media,
     * a rewrite that failed), the spilled one was.
     */
    PredictionRow rewrittenIfThere(PredictionRow row) {
      String name = layout.rewrittenPayloadObject(job, file, row.offset());
      Blob rewritten = storage.get(BlobId.of(layout.workBucket(), name));
      if (rewritten == null) {
        return row;
      }
      return row.withResponse(
          row.response().withSpillUri(URI.create(layout.uri(name)), rewritten.getSize()));
    }

    @Override
    public Spill open(long lineOffset, long row) {
      return new Spill(uri(lineOffset), OutputStream.nullOutputStream());
    }

    @Override
    public Spill openMedia(long lineOffset, int candidate, int part, String mimeType) {
      String name =
          layout.mediaObject(
              job, file, lineOffset, candidate, part, InlineMedia.extension(mimeType));
      return new Spill(URI.create(layout.uri(name)), OutputStream.nullOutputStream());
    }
  }
}
