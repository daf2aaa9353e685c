package io.batchdrop.submit;

import com.google.cloud.storage.BlobInfo;
import com.google.cloud.storage.Storage;
import io.batchdrop.cloud.run.JobId;
import io.batchdrop.cloud.run.RunId;
import io.batchdrop.cloud.run.WorkLayout;
import io.batchdrop.staging.StagingOutput;
import java.io.OutputStream;
import java.nio.channels.Channels;

/** Staged shards and {@code invalid.jsonl} written straight to the work bucket, streaming. */
final class GcsStagingOutput implements StagingOutput {
  private static final String JSONL = "application/jsonl";
  private final Storage storage;
  private final WorkLayout layout;
  private final RunId runId;

  GcsStagingOutput(Storage storage, WorkLayout layout, RunId runId) {
    this.storage = storage;
    this.layout = layout;
    this.runId = runId;
  }

  @Override
  public OutputStream openShard(int shard) {
    return open(layout.inputObject(new JobId(runId, shard, 1)));
  }

  @Override
  public OutputStream openInvalid() {
    return open(layout.invalidObject(runId));
  }

  private OutputStream open(String objectName) {
    BlobInfo blob =
        BlobInfo.newBuilder(layout.workBucket(), objectName).setContentType(JSONL).build();
    return Channels.newOutputStream(storage.writer(blob));
  }
}
