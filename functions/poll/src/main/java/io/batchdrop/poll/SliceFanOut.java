package io.batchdrop.poll;

import com.google.api.core.ApiFuture;
import com.google.cloud.pubsub.v1.Publisher;
import io.batchdrop.cloud.log.StructuredLog;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Publishes a tick's slices to the poll-slices topic, all at once, then waits for each with a
 * deadline. A slice that could not be published leaves its jobs due: the next tick cuts new slices.
 */
final class SliceFanOut {
  private static final StructuredLog LOG = StructuredLog.forComponent("poll");
  private static final long PUBLISH_DEADLINE_SECONDS = 30;
  private final Publisher slices;

  SliceFanOut(Publisher slices) {
    this.slices = slices;
  }

  /** How many slices went out and how many did not. */
  record Sent(int sent, int failed) {
    static final Sent NONE = new Sent(0, 0);
  }

  Sent publish(List<PollSlice> tick) throws InterruptedException {
    List<ApiFuture<String>> futures = new ArrayList<>(tick.size());
    for (PollSlice slice : tick) {
      futures.add(slices.publish(slice.encode()));
    }
    int sent = 0;
    int failed = 0;
    for (int i = 0; i < futures.size(); i++) {
      try {
        futures.get(i).get(PUBLISH_DEADLINE_SECONDS, TimeUnit.SECONDS);
        sent++;
      } catch (ExecutionException | TimeoutException e) {
        failed++;
        LOG.warning()
            .with("slice", tick.get(i).label())
            .failure(e)
            .log("poll slice not published; its jobs stay due for the next tick");
      }
    }
    LOG.info().with("slices", sent).with("failed", failed).log("poll slices published");
    return new Sent(sent, failed);
  }
}
