package io.batchdrop.cloud.results;

import com.google.api.core.ApiFuture;
import com.google.api.core.ApiFutureCallback;
import com.google.api.core.ApiFutures;
import com.google.cloud.pubsub.v1.Publisher;
import com.google.common.util.concurrent.MoreExecutors;
import com.google.pubsub.v1.PubsubMessage;
import java.time.Duration;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Publishes result messages through a batching publisher and counts them with callbacks, never by
 * keeping every future; memory stays bounded by the publisher's blocking flow control ({@link
 * io.batchdrop.cloud.CloudClients}). {@link #flush} returns only when the server has every message
 * published so far: a caller records progress after it, never before.
 *
 * <p>A caller that records progress behind its publishing (publish's windows, design §6) cuts the
 * stream with {@link #mark()} and, on another thread, waits with {@link #awaitConfirmed(long)} for
 * the messages sent before that mark only: confirmations come back in any order (batches go out
 * concurrently), so the wait is on every earlier message, never on a count.
 */
public final class ResultPublisher {
  private final Publisher publisher;
  private final Duration flushDeadline;
  private long sent;
  private long confirmed;
  private Throwable failure;

  /** The segment new messages join; {@link #mark()} closes it. */
  private long segment;

  /** Unconfirmed messages by segment; a segment leaves once all of its messages are confirmed. */
  private final TreeMap<Long, long[]> unconfirmed = new TreeMap<>();

  public ResultPublisher(Publisher publisher, Duration flushDeadline) {
    this.publisher = publisher;
    this.flushDeadline = flushDeadline;
  }

  /**
   * Sends one message (blocking while the publisher's outstanding bytes are at their limit).
   *
   * @throws IllegalArgumentException when the message breaks a Pub/Sub limit; callers size messages
   *     first ({@link RowResult}), so this is a bug, never user input
   */
  public void publish(PubsubMessage message) {
    PubSubLimits.problem(message)
        .ifPresent(
            problem -> {
              throw new IllegalArgumentException("refusing to publish a " + problem);
            });
    long joined;
    synchronized (this) {
      sent++;
      joined = segment;
      unconfirmed.computeIfAbsent(joined, s -> new long[1])[0]++;
    }
    ApiFuture<String> future;
    try {
      future = publisher.publish(message);
    } catch (RuntimeException e) {
      settle(joined, e);
      throw e;
    }
    ApiFutures.addCallback(
        future,
        new ApiFutureCallback<>() {
          @Override
          public void onSuccess(String id) {
            settle(joined, null);
          }

          @Override
          public void onFailure(Throwable t) {
            settle(joined, t);
          }
        },
        MoreExecutors.directExecutor());
  }

  public void publish(RowResult result) {
    publish(result.toMessage());
  }

  private synchronized void settle(long joined, Throwable t) {
    confirmed++;
    long[] left = unconfirmed.get(joined);
    if (--left[0] == 0) {
      unconfirmed.remove(joined);
    }
    if (t != null && failure == null) {
      failure = t;
    }
    notifyAll();
  }

  /**
   * Waits until the server confirmed every message sent so far, and returns how many were sent.
   *
   * @throws ResultPublishException when one failed or the confirmations did not come within the
   *     flush deadline (transient: the caller's invocation fails and its event is redelivered)
   */
  public long flush() throws InterruptedException {
    publisher.publishAllOutstanding();
    long deadline = System.nanoTime() + flushDeadline.toNanos();
    synchronized (this) {
      while (confirmed < sent && failure == null) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new ResultPublishException(
              (sent - confirmed) + " result messages unconfirmed after " + flushDeadline,
              new TimeoutException());
        }
        TimeUnit.NANOSECONDS.timedWait(this, left);
      }
      if (failure != null) {
        throw new ResultPublishException("a result message was not published", failure);
      }
      return sent;
    }
  }

  /**
   * Ends the current segment: the messages sent so far are the ones {@link #awaitConfirmed} with
   * the returned mark waits for. Called by the publishing thread, between two publishes.
   */
  public synchronized long mark() {
    return segment++;
  }

  /**
   * Waits until the server confirmed every message sent before {@link #mark()} returned {@code
   * mark}; messages sent after it are not waited for. The batch being filled is sent at once rather
   * than on the batching delay (it holds the last messages before the mark), so a checkpoint waits
   * for the server, not for the timer.
   *
   * @throws ResultPublishException when one failed or they did not come within the flush deadline
   */
  public void awaitConfirmed(long mark) throws InterruptedException {
    publisher.publishAllOutstanding();
    long deadline = System.nanoTime() + flushDeadline.toNanos();
    synchronized (this) {
      while (failure == null && !unconfirmed.isEmpty() && unconfirmed.firstKey() <= mark) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new ResultPublishException(
              "result messages sent before mark " + mark + " unconfirmed after " + flushDeadline,
              new TimeoutException());
        }
        TimeUnit.NANOSECONDS.timedWait(this, left);
      }
      if (failure != null) {
        throw new ResultPublishException("a result message was not published", failure);
      }
    }
  }

  /** A publish the server refused or did not confirm in time. */
  public static final class ResultPublishException extends RuntimeException {
    ResultPublishException(String message, Throwable cause) {
      super(message + ": " + cause, cause);
    }
  }
}
