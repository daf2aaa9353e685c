package io.batchdrop.cloud.results;

import com.google.api.core.ApiFuture;
import com.google.api.core.ApiFutures;
import com.google.cloud.pubsub.v1.Publisher;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ExecutionException;

/**
 * Publishes row results through a batching publisher with a bounded number of messages in flight,
 * so memory stays flat for any number of rows. {@link #flush()} returns only when the server has
 * every message: a caller records progress after it, never before.
 */
public final class ResultPublisher {
  private final Publisher publisher;
  private final int maxInFlight;
  private final Deque<ApiFuture<String>> inFlight = new ArrayDeque<>();
  private long published;

  public ResultPublisher(Publisher publisher, int maxInFlight) {
    this.publisher = publisher;
    this.maxInFlight = maxInFlight;
  }

  public void publish(RowResult result) throws InterruptedException, ExecutionException {
    if (inFlight.size() >= maxInFlight) {
      inFlight.removeFirst().get();
    }
    inFlight.addLast(publisher.publish(result.toMessage()));
    published++;
  }

  public long flush() throws InterruptedException, ExecutionException {
    publisher.publishAllOutstanding();
    List<ApiFuture<String>> pending = new ArrayList<>(inFlight);
    inFlight.clear();
    ApiFutures.allAsList(pending).get();
    return published;
  }
}
