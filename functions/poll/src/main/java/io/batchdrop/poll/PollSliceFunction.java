package io.batchdrop.poll;

import com.google.cloud.functions.CloudEventsFunction;
import io.batchdrop.cloud.config.BatchdropConfig;
import io.batchdrop.cloud.events.PubSubDelivery;
import io.batchdrop.cloud.log.StructuredLog;
import io.cloudevents.CloudEvent;
import java.time.Clock;

/**
 * The {@code poll-slices} function: one slice of a crowded tick in (Eventarc {@code
 * google.cloud.pubsub.topic.v1.messagePublished} on the poll-slices topic, published by {@link
 * PollFunction}), its due jobs polled and recorded out, with the same compare-and-set writes as the
 * Scheduler's call. Deployed from the poll jar. What happens to the event is decided here, once:
 *
 * <table>
 *   <caption>Drop or redeliver</caption>
 *   <tr><th>outcome</th><th>the event</th><th>why</th></tr>
 *   <tr><td>not a Pub/Sub event, not a slice (too big, not JSON, bad bounds or count)</td>
 *       <td>logged, dropped</td><td>a retry cannot fix it</td></tr>
 *   <tr><td>the slice's tick is over (delivered a tick or more after it was cut), or it claims
 *       to be from more than 5 minutes ahead</td><td>logged, dropped</td>
 *       <td>the next tick's slices cover the same range</td></tr>
 *   <tr><td>a job's Vertex get or its record failed</td><td>done</td>
 *       <td>the job stays due and the next tick polls it; redelivering the whole slice would
 *       multiply the load on a Vertex that is struggling</td></tr>
 *   <tr><td>out of time (the tick or the call's budget)</td><td>done</td>
 *       <td>jobs not started stay due for the next tick</td></tr>
 *   <tr><td>{@link PollUnavailableException}: Firestore did not answer the selection</td>
 *       <td>redelivered</td><td>transient; a redelivery within the tick polls the slice</td></tr>
 *   <tr><td>anything else</td><td>redelivered</td><td>transient; every write is compare-and-set,
 *       so polling the slice again records each change once</td></tr>
 * </table>
 */
public final class PollSliceFunction implements CloudEventsFunction, AutoCloseable {
  static final String TYPE = PubSubDelivery.TYPE;
  private static final StructuredLog LOG = StructuredLog.forComponent("poll");
  private final PollInstance instance;
  private final Clock clock;

  /** Used by the Functions Framework: configuration from the environment, checked at start. */
  public PollSliceFunction() {
    this(BatchdropConfig.forFunction(BatchdropConfig.Reader.POLL, System.getenv()));
  }

  /** Builds no client: the poller (and the clients under it) are built on the first event. */
  public PollSliceFunction(BatchdropConfig config) {
    this.instance = new PollInstance(config);
    this.clock = Clock.systemUTC();
  }

  @Override
  public void accept(CloudEvent event) throws Exception {
    PollSlice slice;
    try {
      slice = PollSlice.decode(messageData(event));
    } catch (PollSlice.MalformedSliceException e) {
      LOG.error()
          .with("event_id", event.getId())
          .with("event_type", event.getType())
          .log("malformed poll slice dropped (a retry cannot fix it): " + e.getMessage());
      return;
    }
    if (slice.staleAt(clock.instant()) || slice.fromTheFuture(clock.instant())) {
      LOG.warning()
          .with("event_id", event.getId())
          .with("slice", slice.label())
          .with("as_of", slice.asOf().toString())
          .log("poll slice dropped: its tick is not now; the next tick's slices cover its range");
      return;
    }
    try {
      instance.poller().pollSlice(slice);
    } catch (PollUnavailableException e) {
      LOG.error()
          .with("slice", slice.label())
          .failure(e.getCause())
          .log(e.getMessage() + "; the slice is delivered again");
      throw e;
    }
  }

  /** The Pub/Sub message's data out of the CloudEvent Eventarc delivers. */
  static byte[] messageData(CloudEvent event) throws PollSlice.MalformedSliceException {
    try {
      return PubSubDelivery.messageData(
          event.getType(),
          event.getData() == null ? null : event.getData().toBytes(),
          64 * 1024,
          "a slice event is well under 2 KiB");
    } catch (PubSubDelivery.MalformedDeliveryException e) {
      throw new PollSlice.MalformedSliceException(e.getMessage());
    }
  }

  /** Releases the pool and the clients; an embedding host (a test, the local stack) calls it. */
  @Override
  public void close() throws Exception {
    instance.close();
  }
}
