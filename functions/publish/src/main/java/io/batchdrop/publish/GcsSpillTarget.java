package io.batchdrop.publish;

import com.google.cloud.ReadChannel;
import com.google.cloud.WriteChannel;
import com.google.cloud.storage.Blob;
import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.BlobInfo;
import com.google.cloud.storage.Storage;
import io.batchdrop.cloud.run.JobId;
import io.batchdrop.cloud.run.WorkLayout;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.channels.Channels;

/**
 * Responses too large to hold go to {@code runs/{runId}/payloads/…} in the work bucket, streamed as
 * they are read. The name depends only on the job, file and line offset, so a resumed read
 * overwrites the same object instead of leaving a second one.
 */
final class GcsSpillTarget implements SpillTarget, InlineMedia.SpilledTarget {
  /** A media blob is written in chunks of this size, so at most this much of it is held. */
  private static final int MEDIA_CHUNK_BYTES = 1 << 20;

  /** A spilled response is read back in chunks of this size. */
  private static final int READ_CHUNK_BYTES = 1 << 20;

  /**
   * A rewritten response is written in chunks of this size (the smallest the client allows): what
   * is left of it once its media moved out is mostly small.
   */
  private static final int REWRITTEN_CHUNK_BYTES = 256 << 10;

  private final Storage storage;
  private final WorkLayout layout;
  private final JobId job;
  private final int file;

  GcsSpillTarget(Storage storage, WorkLayout layout, JobId job, int file) {
    this.storage = storage;
    this.layout = layout;
    this.job = job;
    this.file = file;
  }

  @Override
  public Spill open(long lineOffset, long row) throws IOException {
    return spill(layout.payloadObject(job, file, lineOffset), "application/json", 0);
  }

  @Override
  public Spill openMedia(long lineOffset, int candidate, int part, String mimeType) {
    return spill(
        layout.mediaObject(job, file, lineOffset, candidate, part, InlineMedia.extension(mimeType)),
        mimeType == null ? "application/octet-stream" : mimeType,
        MEDIA_CHUNK_BYTES);
  }

  /**
   * Reads the line's spilled object at the generation there now, and deletes only that generation:
   * a newer write of the name (an invocation that lost its lease spilling the line again) stays.
   */
  @Override
  public InlineMedia.SpilledResponse readSpilled(long lineOffset) throws IOException {
    String name = layout.payloadObject(job, file, lineOffset);
    Blob blob = storage.get(BlobId.of(layout.workBucket(), name));
    if (blob == null) {
      throw new IOException(
          "the spilled response " + layout.uri(name) + " is not there: it was written just before");
    }
    BlobId read = blob.getBlobId();
    ReadChannel channel = storage.reader(read);
    channel.setChunkSize(READ_CHUNK_BYTES);
    InputStream stream = Channels.newInputStream(channel);
    return new InlineMedia.SpilledResponse() {
      @Override
      public InputStream stream() {
        return stream;
      }

      @Override
      public void delete() {
        storage.delete(read);
      }

      @Override
      public void close() throws IOException {
        stream.close();
      }
    };
  }

  @Override
  public Spill openRewritten(long lineOffset) {
    return spill(
        layout.rewrittenPayloadObject(job, file, lineOffset),
        "application/json",
        REWRITTEN_CHUNK_BYTES);
  }

  /**
   * A new object of the work bucket, written through a resumable upload that is finished only when
   * its stream is closed; {@code chunkBytes} 0 keeps the client's chunk size.
   */
  private Spill spill(String name, String contentType, int chunkBytes) {
    WriteChannel channel =
        storage.writer(
            BlobInfo.newBuilder(layout.workBucket(), name).setContentType(contentType).build());
    if (chunkBytes > 0) {
      channel.setChunkSize(chunkBytes);
    }
    return new Spill(URI.create(layout.uri(name)), Channels.newOutputStream(channel));
  }

  @Override
  public void discard(URI finished) {
    GcsLocation object = GcsLocation.parse(finished.toString());
    storage.delete(BlobId.of(object.bucket(), object.prefix()));
  }

  /** Writes a response that is held in memory but would make its message too big. */
  URI write(long lineOffset, ResponseBody response) throws IOException {
    Spill spill = open(lineOffset, 0);
    try (var out = spill.stream()) {
      response.writeTo(out);
    }
    return spill.uri();
  }
}
