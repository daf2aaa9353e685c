package io.batchdrop.publish;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.cloud.ReadChannel;
import com.google.cloud.WriteChannel;
import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.BlobInfo;
import com.google.cloud.storage.Storage;
import io.batchdrop.cloud.config.BatchdropConfig;
import io.batchdrop.cloud.log.StructuredLog;
import io.batchdrop.cloud.results.RowStatus;
import io.batchdrop.cloud.run.JobId;
import io.batchdrop.cloud.run.WorkLayout;
import io.batchdrop.pricing.ModelPrice;
import io.batchdrop.pricing.PriceTable;
import io.batchdrop.pricing.TokenUsage;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Reads one finished job attempt through, in windows: every prediction file from its checkpoint,
 * each row published once (or held back for the next attempt when its error may pass), then the
 * staged input for the rows the output never showed. Returns {@link Outcome#OUT_OF_TIME} when the
 * time budget ran out, with everything so far checkpointed, so a new invocation continues.
 */
final class JobDrain {
  private static final StructuredLog LOG = StructuredLog.forComponent("publish");

  enum Outcome {
    /** Every row has its message or its place in the next attempt's shard. */
    READ_THROUGH,
    OUT_OF_TIME
  }

  /**
   * What the pass over the staged input did: read through, with how many rows went into the next
   * attempt's shard (0 when every leftover got its message now), or out of time.
   */
  record Leftovers(Outcome outcome, long toRetry) {
    static final Leftovers OUT_OF_TIME = new Leftovers(Outcome.OUT_OF_TIME, 0);

    Leftovers {
      if (toRetry < 0 || (outcome == Outcome.OUT_OF_TIME && toRetry != 0)) {
        throw new IllegalArgumentException(
            "rows to retry are counted (>= 0) only for a pass read through; got "
                + outcome
                + " with "
                + toRetry);
      }
    }

    static Leftovers readThrough(long toRetry) {
      return new Leftovers(Outcome.READ_THROUGH, toRetry);
    }
  }

  private final Storage storage;
  private final WorkLayout layout;
  private final BatchdropConfig.Publish settings;
  private final int maxStagedLineBytes;
  private final PriceTable prices;
  private final Clock clock;

  JobDrain(Storage storage, BatchdropConfig config, PriceTable prices, Clock clock) {
    this.storage = storage;
    this.layout = new WorkLayout(config.workBucket());
    this.settings = config.publish();
    this.maxStagedLineBytes = config.maxStagedLineBytes();
    this.prices = prices;
    this.clock = clock;
  }

  Outcome readOutputs(
      FinishedJob job,
      Progress p,
      ResultSender sender,
      Checkpoints checkpoints,
      Instant stopAt,
      EarlierAttempts earlier)
      throws IOException, InterruptedException {
    if (job.submitFailed() || job.outputLocation() == null) {
      return Outcome.READ_THROUGH; // no job ran: every row comes from the staged input
    }
    List<OutputFiles.OutputFile> files =
        OutputFiles.list(storage, GcsLocation.parse(job.outputLocation()), job.jobId().value());
    RowSet members = shardRows(storage, layout, clock, job, p.seen, maxStagedLineBytes, earlier);
    Window window = new Window();
    try (StagedKeys keys = stagedKeys(job)) {
      return readFiles(job, p, sender, checkpoints, stopAt, files, window, keys, members);
    }
  }

  /**
   * The rows of the shard when they are not simply every row of its span: the run's invalid rows
   * lie between them, and a later attempt holds only the rows retried. An output line labelled with
   * another row of the span is then not this job's: answered, it would give that row a second
   * outcome and, counted as seen, hide a row of the shard that is missing. Null when every row of
   * the span is the shard's, or nothing tells (the staged input gone, and {@code invalid.jsonl} too
   * when it is needed).
   *
   * <p>Known without reading the shard when it can be: the span less the rows earlier attempts
   * answered (their checkpoints) and less the run's invalid rows, which are none when the first
   * attempt held the whole span, else read from {@code invalid.jsonl} when that is smaller than the
   * shard (or than nothing, the shard gone). The result must hold exactly the job's number of rows;
   * otherwise (or with {@code invalid.jsonl} gone) the staged shard is read once, label only.
   */
  static RowSet shardRows(
      Storage storage,
      WorkLayout layout,
      Clock clock,
      FinishedJob job,
      RowSet span,
      int maxStagedLineBytes,
      EarlierAttempts earlier)
      throws IOException, InterruptedException {
    long rowsInSpan = span.lastRow() - span.firstRow() + 1;
    if (job.inputUri() == null || job.rows() >= rowsInSpan) {
      return null;
    }
    GcsLocation input = GcsLocation.parse(job.inputUri());
    BlobId staged = BlobId.of(input.bucket(), input.prefix());
    com.google.cloud.storage.Blob stagedBlob = storage.get(staged);
    List<com.google.cloud.firestore.DocumentSnapshot> docs =
        job.jobId().attempt() > 1 ? earlier.documents() : List.of();
    long firstAttemptRows = GoneShard.firstAttemptRows(job, docs);
    RowSet invalid = null;
    if (firstAttemptRows >= rowsInSpan) {
      invalid = new RowSet(span.firstRow(), span.lastRow());
    } else {
      com.google.cloud.storage.Blob invalidBlob =
          storage.get(BlobId.of(layout.workBucket(), layout.invalidObject(job.jobId().run())));
      if (invalidBlob != null
          && (stagedBlob == null || invalidBlob.getSize() < stagedBlob.getSize())) {
        invalid = new GoneShard(storage, layout, clock).invalidRows(job, firstAttemptRows);
      }
    }
    if (invalid != null) {
      RowSet answered;
      try {
        answered = GoneShard.answeredBefore(job, docs);
      } catch (EarlierAttemptUnreadable e) {
        // Which rows the earlier attempts answered is not known here: the shard itself tells.
        LOG.warning()
            .job(job.jobId())
            .with("problem", e.getMessage())
            .log("an earlier attempt's checkpoint cannot be read: the staged input is read");
        answered = null;
      }
      if (answered != null) {
        RowSet known = new RowSet(span.firstRow(), span.lastRow());
        for (long row = span.firstRow(); row <= span.lastRow(); row++) {
          if (!invalid.contains(row) && !answered.contains(row)) {
            known.add(row);
          }
        }
        if (known.cardinality() == job.rows()) {
          return known;
        }
        LOG.warning()
            .job(job.jobId())
            .with("rows", job.rows())
            .with("known", known.cardinality())
            .log("the shard's rows from the checkpoints do not add up: its staged input is read");
      }
    }
    if (stagedBlob == null) {
      return null;
    }
    RowSet members = new RowSet(span.firstRow(), span.lastRow());
    try (ReadChannel channel = storage.reader(staged)) {
      channel.setChunkSize(2 << 20);
      StagedRows rows = new StagedRows(Channels.newInputStream(channel), 0, maxStagedLineBytes);
      StagedRows.StagedRow row;
      while ((row = rows.next()) != null) {
        if (members.inRange(row.row())) {
          members.add(row.row());
        }
      }
    }
    return members;
  }

  /** For Gemini API output only: the user's keys, from the staged shard. */
  private StagedKeys stagedKeys(FinishedJob job) {
    return StagedKeys.forJob(storage, job, maxStagedLineBytes);
  }

  private Outcome readFiles(
      FinishedJob job,
      Progress p,
      ResultSender sender,
      Checkpoints checkpoints,
      Instant stopAt,
      List<OutputFiles.OutputFile> files,
      Window window,
      StagedKeys keys,
      RowSet members)
      throws IOException, InterruptedException {
    Optional<ModelPrice> price = prices.price(job.model());
    for (OutputFiles.OutputFile file : files) {
      if (!resume(job, p, file)) {
        continue;
      }
      GcsSpillTarget spill = new GcsSpillTarget(storage, layout, job.jobId(), p.file);
      // Pinned to the generation listed: rewritten while read, the read fails (a redelivery reads
      // the new one from its start) rather than going on in other bytes.
      try (ReadChannel channel =
          storage.reader(BlobId.of(file.bucket(), file.name(), file.generation()))) {
        channel.setChunkSize(2 << 20);
        channel.seek(p.offset);
        try (PredictionReader reader =
            new PredictionReader(
                Channels.newInputStream(channel),
                p.offset,
                spill,
                settings.inMemoryResponseBytes(),
                job.rowsKeyedByNumber())) {
          PredictionRow row;
          while ((row = reader.next()) != null) {
            row = StagedKeys.keyed(keys, row);
            take(job, p, row, sender, spill, price, members);
            p.offset = row.endOffset();
            if (window.full()) {
              checkpoints.behind(p);
              window = new Window();
              if (clock.instant().isAfter(stopAt)) {
                checkpoints.settle();
                return Outcome.OUT_OF_TIME;
              }
            }
          }
        }
      }
    }
    return Outcome.READ_THROUGH;
  }

  /**
   * Places the progress at {@code file} and says whether to read it: false for a file before the
   * checkpoint's in name order (read through). The checkpoint's own file goes on from its offset
   * only when it is still the generation the offset was reached in; rewritten since, it is read
   * again from its start, under a new file number (its spilled responses must not overwrite those
   * already sent): the rows already published are seen ({@code duplicates}), the others published
   * now. A checkpoint without a file name (from before names were recorded) places by number.
   */
  private static boolean resume(FinishedJob job, Progress p, OutputFiles.OutputFile file) {
    if (p.fileName == null) {
      if (file.index() < p.file) {
        return false;
      }
      if (file.index() > p.file) {
        p.file = file.index();
        p.offset = 0;
      }
    } else {
      int order = file.name().compareTo(p.fileName);
      if (order < 0) {
        return false;
      }
      if (order == 0 && file.generation() == p.generation) {
        return true;
      }
      if (order == 0) {
        LOG.warning()
            .job(job.jobId())
            .with("object", file.name())
            .with("generation", file.generation())
            .with("checkpoint_generation", p.generation)
            .with("offset", p.offset)
            .log("output file rewritten since the checkpoint: read again from its start");
      }
      p.file++;
      p.offset = 0;
    }
    p.fileName = file.name();
    p.generation = file.generation();
    return true;
  }

  private void take(
      FinishedJob job,
      Progress p,
      PredictionRow row,
      ResultSender sender,
      GcsSpillTarget spill,
      Optional<ModelPrice> price,
      RowSet members)
      throws IOException {
    if (!row.attributable()
        || !p.seen.inRange(row.row())
        || (members != null && !members.contains(row.row()))) {
      p.unattributed++;
      LOG.warning()
          .job(job.jobId())
          .with("offset", row.offset())
          .with(
              "problem",
              row.attributable() ? "row " + row.row() + " is not in this shard" : row.problem())
          .log("output line that belongs to no row of this job");
      return;
    }
    if (!p.seen.add(row.row())) {
      p.duplicates++;
      return;
    }
    RowVerdict verdict = RowVerdict.of(row);
    if (!verdict.succeeded() && verdict.retryable() && job.retriesAllowed()) {
      p.retry.add(row.row());
      p.retried++;
      return;
    }
    sender.send(row, verdict, spill);
    if (verdict.succeeded()) {
      p.succeeded++;
    } else {
      p.failed++;
      p.errors.add(
          ErrorSamples.classOf(verdict.error()), row.row(), row.key(), verdict.error().message());
    }
    ResponseBody response = row.response();
    TokenUsage usage = response == null ? null : response.usage();
    if (usage != null) {
      p.addUsage(usage, price);
    }
  }

  /**
   * Goes through the staged input for rows the output never showed and rows held back: they go into
   * the next attempt's shard when retries are allowed (says how many), else each gets its message
   * now ({@code missing}, or {@code failed} with the reason when no job ever ran).
   */
  Leftovers leftovers(
      FinishedJob job,
      Progress p,
      ResultSender sender,
      Checkpoints checkpoints,
      Instant stopAt,
      JobId nextJob,
      EarlierAttempts earlier)
      throws IOException, InterruptedException {
    boolean complete = p.seen.cardinality() >= job.rows() && p.retry.cardinality() == 0;
    if (complete || job.inputUri() == null) {
      return Leftovers.readThrough(0);
    }
    GcsLocation input = GcsLocation.parse(job.inputUri());
    BlobId staged = BlobId.of(input.bucket(), input.prefix());
    if (storage.get(staged) == null) {
      stagedInputGone(job, p, sender, earlier);
      return Leftovers.readThrough(0);
    }
    if (job.retriesAllowed()) {
      return Leftovers.readThrough(writeNextShard(job, p, staged, nextJob));
    }
    ObjectNode error = leftoverError(job);
    RowStatus status = job.submitFailed() ? RowStatus.FAILED : RowStatus.MISSING;
    Window window = new Window();
    try (ReadChannel channel = storage.reader(staged)) {
      channel.setChunkSize(2 << 20);
      channel.seek(p.leftoverOffset);
      StagedRows rows =
          new StagedRows(Channels.newInputStream(channel), p.leftoverOffset, maxStagedLineBytes);
      StagedRows.StagedRow row;
      while ((row = rows.next()) != null) {
        if (!p.seen.contains(row.row())) {
          sender.sendWithoutOutput(row.row(), row.key(), status, error);
          if (status == RowStatus.FAILED) {
            p.failed++;
          } else {
            p.missing++;
          }
          p.errors.add(
              error.path("code").asText(), row.row(), row.key(), error.path("message").asText());
        } else if (p.retry.contains(row.row())) {
          // Held back by an earlier invocation, then retries stopped (the run was cancelled).
          ObjectNode notRetried = notRetried(job);
          sender.sendWithoutOutput(row.row(), row.key(), RowStatus.FAILED, notRetried);
          p.failed++;
          p.errors.add(
              notRetried.path("code").asText(),
              row.row(),
              row.key(),
              notRetried.path("message").asText());
        }
        p.leftoverOffset = row.endOffset();
        p.leftoverRow = row.row();
        if (window.full()) {
          checkpoints.behind(p);
          window = new Window();
          if (clock.instant().isAfter(stopAt)) {
            checkpoints.settle();
            return Leftovers.OUT_OF_TIME;
          }
        }
      }
    }
    return Leftovers.readThrough(0);
  }

  /** The earlier attempts' job documents of the shard, read only when they are needed. */
  interface EarlierAttempts {
    List<com.google.cloud.firestore.DocumentSnapshot> documents()
        throws IOException, InterruptedException;
  }

  /**
   * The staged shard is gone before this pass began or in its middle ({@link GoneShard}): every row
   * of this attempt still without an outcome ends now, from the row the pass reached on; recorded
   * in the checkpoint for replay.
   */
  private void stagedInputGone(
      FinishedJob job, Progress p, ResultSender sender, EarlierAttempts earlier)
      throws IOException, InterruptedException {
    List<com.google.cloud.firestore.DocumentSnapshot> docs =
        job.jobId().attempt() > 1 ? earlier.documents() : List.of();
    GoneShard gone = new GoneShard(storage, layout, clock);
    RowSet answered = GoneShard.answeredBefore(job, docs);
    RowSet invalid = gone.invalidRows(job, GoneShard.firstAttemptRows(job, docs));
    long fromRow = p.leftoverRow + 1;
    // The pass so far ended rows never shown as missing, or as failed when no job was created.
    long passEnded = job.submitFailed() ? p.failed : p.missing;
    long unseenOfAttempt = job.rows() - p.seen.cardinality() - passEnded;
    GoneShard.Plan plan = GoneShard.plan(job, p.seen, answered, invalid, fromRow, unseenOfAttempt);
    GoneShard.Ended ended =
        gone.end(
            job,
            p.seen,
            p.retry,
            answered,
            invalid,
            fromRow,
            plan,
            unseenOfAttempt,
            (row, status, error) -> {
              sender.sendWithoutOutput(row, null, status, error);
              p.errors.add(error.path("code").asText(), row, null, error.path("message").asText());
            });
    p.missing += ended.missing();
    p.failed += ended.failed();
    p.stagedGone = new GoneShard.Recorded(fromRow, plan.unseenEnd());
    p.problem = plan.problem();
    LOG.error()
        .run(job.jobId().run())
        .job(job.jobId())
        .with("input", job.inputUri())
        .with("from_row", fromRow)
        .with("missing", ended.missing())
        .with("failed", ended.failed())
        .with("problem", plan.problem())
        .log("the staged input is gone: the rows without an outcome end now, not retried");
  }

  /** Copies the rows to retry into the next attempt's staged input; returns how many. */
  private long writeNextShard(FinishedJob job, Progress p, BlobId staged, JobId nextJob)
      throws IOException {
    long written = 0;
    BlobInfo target =
        BlobInfo.newBuilder(layout.workBucket(), layout.inputObject(nextJob))
            .setContentType("application/jsonl")
            .build();
    // Rewritten whole by a crash's redelivery: its content depends only on the checkpoint.
    try (ReadChannel channel = storage.reader(staged);
        WriteChannel out = storage.writer(target);
        OutputStream stream = Channels.newOutputStream(out)) {
      channel.setChunkSize(2 << 20);
      InputStream in = Channels.newInputStream(channel);
      StagedRows rows = new StagedRows(in, 0, maxStagedLineBytes);
      StagedRows.StagedRow row;
      while ((row = rows.next()) != null) {
        if (!p.seen.contains(row.row()) || p.retry.contains(row.row())) {
          if (row.held()) {
            stream.write(row.bytes());
          } else {
            copyRange(staged, row.startOffset(), row.endOffset(), stream);
          }
          written++;
        }
      }
    }
    return written;
  }

  /**
   * Copies bytes {@code [from, to)} of the staged shard: a line longer than the reader holds
   * (staged before {@code BATCHDROP_MAX_LINE_BYTES} was lowered), passed on in bounded memory.
   */
  private void copyRange(BlobId staged, long from, long to, OutputStream out) throws IOException {
    try (ReadChannel channel = storage.reader(staged)) {
      channel.setChunkSize(2 << 20);
      channel.seek(from);
      InputStream in = Channels.newInputStream(channel);
      byte[] chunk = new byte[64 * 1024];
      long left = to - from;
      while (left > 0) {
        int n = in.read(chunk, 0, (int) Math.min(chunk.length, left));
        if (n < 0) {
          throw new IOException("the staged shard ended inside the line at byte " + from);
        }
        out.write(chunk, 0, n);
        left -= n;
      }
    }
  }

  static ObjectNode leftoverError(FinishedJob job) {
    ObjectNode error = JsonNodeFactory.instance.objectNode();
    if (job.submitFailed()) {
      error.put("code", "job_not_created");
      error.put(
          "message",
          "the batch job for this row was never created: "
              + (job.createError() == null ? "the run failed" : job.createError()));
    } else if (job.cancelled()) {
      error.put("code", "cancelled");
      error.put("message", "the job was cancelled before this row was processed");
    } else {
      error.put("code", "missing");
      error.put(
          "message",
          "the job ended "
              + job.state()
              + " without a result for this row"
              + (job.jobId().attempt() > 1 ? " after " + job.jobId().attempt() + " attempts" : ""));
    }
    return error;
  }

  static ObjectNode notRetried(FinishedJob job) {
    ObjectNode error = JsonNodeFactory.instance.objectNode();
    error.put("code", "not_retried");
    error.put(
        "message",
        "the row failed with a retryable error in "
            + job.jobId()
            + " and was not retried: "
            + (job.cancelled() ? "the job was cancelled" : "the run was cancelled or failed"));
    return error;
  }

  /** A checkpoint window: so many rows or so much time, whichever comes first. */
  private final class Window {
    private final Instant end = clock.instant().plus(settings.windowTime());
    private int rows;

    boolean full() {
      return ++rows >= settings.windowRows() || !clock.instant().isBefore(end);
    }
  }
}
