package io.batchdrop.publish;

import com.google.api.gax.grpc.GrpcCallContext;
import com.google.api.gax.rpc.DeadlineExceededException;
import com.google.cloud.pubsub.v1.SubscriptionAdminClient;
import com.google.pubsub.v1.AcknowledgeRequest;
import com.google.pubsub.v1.ProjectSubscriptionName;
import com.google.pubsub.v1.PullRequest;
import com.google.pubsub.v1.ReceivedMessage;
import io.batchdrop.testing.LocalCloud;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Pulls a subscription on its own threads while something publishes, acknowledging and counting
 * rows (by the {@code row} attribute) without keeping messages: when the last new row arrived, how
 * many repeats, and each row's data size (so the floor can send messages of the same sizes). For
 * the benchmark: rows {@code 1..expected}, as in a one-shard run.
 */
final class ResultCounter implements AutoCloseable {
  private static final int PULLERS = 2;
  private final SubscriptionAdminClient admin;
  private final String subscription;
  private final int expected;
  private final BitSet seen = new BitSet();
  private final int[] dataBytes;
  private final List<Thread> pullers = new ArrayList<>();
  private volatile boolean closed;
  private int distinct;
  private long duplicates;
  private long totalDataBytes;
  private long lastNewRowNanos;
  private Map<String, String> template;
  private RuntimeException failure;

  ResultCounter(LocalCloud cloud, String subscriptionId, int expected) {
    this(cloud, subscriptionId, expected, true);
  }

  /**
   * @param pullNow false to leave the subscription unpulled (the emulator keeps the messages) until
   *     {@link #start()}
   */
  ResultCounter(LocalCloud cloud, String subscriptionId, int expected, boolean pullNow) {
    this.admin = cloud.subscriptionAdmin();
    this.subscription = ProjectSubscriptionName.format(cloud.projectId(), subscriptionId);
    this.expected = expected;
    this.dataBytes = new int[expected + 1];
    if (pullNow) {
      start();
    }
  }

  /** Starts pulling; once only. */
  synchronized void start() {
    if (!pullers.isEmpty()) {
      return;
    }
    for (int i = 0; i < PULLERS; i++) {
      Thread puller = new Thread(this::pullLoop, "bench-puller-" + subscription + "-" + i);
      puller.setDaemon(true);
      puller.start();
      pullers.add(puller);
    }
  }

  private void pullLoop() {
    PullRequest request =
        PullRequest.newBuilder().setSubscription(subscription).setMaxMessages(1000).build();
    while (!closed) {
      List<ReceivedMessage> batch;
      try {
        batch =
            admin
                .pullCallable()
                .call(
                    request,
                    GrpcCallContext.createDefault().withTimeoutDuration(Duration.ofSeconds(2)))
                .getReceivedMessagesList();
      } catch (DeadlineExceededException e) {
        continue;
      } catch (RuntimeException e) {
        if (!closed) {
          fail(e);
        }
        return;
      }
      if (batch.isEmpty()) {
        continue;
      }
      count(batch);
      admin
          .acknowledgeCallable()
          .call(
              AcknowledgeRequest.newBuilder()
                  .setSubscription(subscription)
                  .addAllAckIds(batch.stream().map(ReceivedMessage::getAckId).toList())
                  .build());
    }
  }

  private synchronized void count(List<ReceivedMessage> batch) {
    for (ReceivedMessage received : batch) {
      var message = received.getMessage();
      int row = Integer.parseInt(message.getAttributesOrThrow("row"));
      if (row < 1 || row > expected) {
        failure = new IllegalStateException("row " + row + " is outside 1.." + expected);
        continue;
      }
      if (seen.get(row)) {
        duplicates++;
        continue;
      }
      seen.set(row);
      distinct++;
      dataBytes[row] = message.getData().size();
      totalDataBytes += message.getData().size();
      if (template == null) {
        template = Map.copyOf(message.getAttributesMap());
      }
    }
    lastNewRowNanos = System.nanoTime();
    notifyAll();
  }

  private synchronized void fail(RuntimeException e) {
    if (failure == null) {
      failure = e;
    }
    notifyAll();
  }

  /** Waits until every row arrived; false on timeout. */
  synchronized boolean awaitAll(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (distinct < expected && failure == null) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return false;
      }
      TimeUnit.NANOSECONDS.timedWait(this, left);
    }
    if (failure != null) {
      throw failure;
    }
    return true;
  }

  int expected() {
    return expected;
  }

  int firstRow() {
    return 1;
  }

  synchronized int distinct() {
    return distinct;
  }

  synchronized long duplicates() {
    return duplicates;
  }

  synchronized long dataBytes() {
    return totalDataBytes;
  }

  synchronized int dataBytes(int row) {
    return dataBytes[row];
  }

  synchronized int maxDataBytes() {
    return Arrays.stream(dataBytes).max().orElse(0);
  }

  synchronized long lastNewRowNanos() {
    return lastNewRowNanos;
  }

  synchronized Map<String, String> templateAttributes() {
    return template;
  }

  @Override
  public void close() throws InterruptedException {
    closed = true;
    for (Thread puller : pullers) {
      puller.join(TimeUnit.SECONDS.toMillis(10));
    }
  }
}
