package io.batchdrop.poll;

import com.google.cloud.firestore.FieldValue;
import com.google.cloud.firestore.Firestore;
import com.google.cloud.pubsub.v1.Publisher;
import io.batchdrop.cloud.firestore.Timestamps;
import io.batchdrop.cloud.jobs.HandOffMessage;
import io.batchdrop.cloud.jobs.JobDoc;
import io.batchdrop.cloud.log.StructuredLog;
import java.time.Clock;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Sends a finished job to {@code publish}, then records when. Sent only after the terminal state is
 * committed; if the send or its record fails, {@code handoffAt} stays old and a later call sends it
 * again. {@code publish} dedupes, so an extra hand-off costs a message, never a row.
 */
final class HandOff {
  private static final StructuredLog LOG = StructuredLog.forComponent("poll");
  private final Publisher completions;
  private final Firestore firestore;
  private final Clock clock;

  HandOff(Publisher completions, Firestore firestore, Clock clock) {
    this.completions = completions;
    this.firestore = firestore;
    this.clock = clock;
  }

  void send(HandOffMessage message, boolean resend)
      throws ExecutionException, InterruptedException, TimeoutException {
    completions.publish(message.encode()).get(60, TimeUnit.SECONDS);
    firestore
        .collection(JobDoc.COLLECTION)
        .document(message.jobId())
        .update(
            JobDoc.HANDOFF_AT, Timestamps.of(clock.instant()),
            JobDoc.HANDOFF_COUNT, FieldValue.increment(1))
        .get(60, TimeUnit.SECONDS);
    LOG.info()
        .run(message.runId())
        .job(message.jobId())
        .with("state", message.state())
        .with("resend", resend)
        .log("hand-off sent to publish");
  }
}
