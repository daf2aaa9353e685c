package io.batchdrop.publish;

import com.google.cloud.functions.CloudEventsFunction;
import io.batchdrop.cloud.CloudClients;
import io.batchdrop.cloud.Lazy;
import io.batchdrop.cloud.config.BatchdropConfig;
import io.batchdrop.cloud.config.PriceTables;
import io.batchdrop.cloud.events.PubSubDelivery;
import io.batchdrop.cloud.firestore.LeaseLostException;
import io.batchdrop.cloud.jobs.HandOffMessage;
import io.batchdrop.cloud.jobs.JobBusyException;
import io.batchdrop.cloud.jobs.JobCreator;
import io.batchdrop.cloud.log.StructuredLog;
import io.batchdrop.pricing.PriceTable;
import io.cloudevents.CloudEvent;
import java.time.Clock;

/**
 * The {@code publish} function: a hand-off on the completions topic in (Eventarc {@code
 * google.cloud.pubsub.topic.v1.messagePublished}), one result message per row of the finished job
 * out (design §6). What happens to the event is decided here, once:
 *
 * <table>
 *   <caption>Drop or redeliver</caption>
 *   <tr><th>outcome</th><th>the event</th><th>why</th></tr>
 *   <tr><td>not a Pub/Sub event, not a hand-off</td><td>logged, dropped</td>
 *       <td>a retry cannot fix it</td></tr>
 *   <tr><td>job unknown, already published, or not finished</td><td>done</td>
 *       <td>poll hands a job off again while it is not published</td></tr>
 *   <tr><td>job leased by a live owner</td><td>done</td><td>that owner finishes it</td></tr>
 *   <tr><td>the lease's transaction ABORTED for contention (another transaction holds the job
 *       document)</td><td>done</td><td>another delivery is taking it, or a transaction whose
 *       client died holds it until it idles out; poll hands the job off again while it is not
 *       published, and redelivering every such delivery piles them up on the one document</td></tr>
 *   <tr><td>a job document publish cannot read (no {@code firstRow}, an unknown phase,
 *       a field of the wrong type)</td>
 *       <td>logged, the job marked published with its {@code problem}, the run closed with it</td>
 *       <td>a retry cannot fix it; poll would hand it off forever</td></tr>
 *   <tr><td>out of time</td><td>done</td><td>checkpointed; a new hand-off continues it</td></tr>
 *   <tr><td>{@link LeaseLostException}</td><td>dropped</td><td>another invocation took over</td></tr>
 *   <tr><td>{@link JobBusyException}</td><td>redelivered</td>
 *       <td>someone else is creating the next attempt's job right now</td></tr>
 *   <tr><td>anything else (storage, Firestore, Pub/Sub or Vertex unavailable)</td>
 *       <td>redelivered</td><td>transient; the checkpoint keeps what was done</td></tr>
 * </table>
 */
public final class PublishFunction implements CloudEventsFunction, AutoCloseable {
  static final String TYPE = PubSubDelivery.TYPE;
  private static final StructuredLog LOG = StructuredLog.forComponent("publish");
  private final CloudClients clients;
  private final Lazy<JobPublisher> publisher;

  /** Used by the Functions Framework: configuration from the environment, checked at start. */
  public PublishFunction() {
    this(BatchdropConfig.forFunction(BatchdropConfig.Reader.PUBLISH, System.getenv()));
  }

  /** Builds no client: each is built on first use, so a cold start opens no connection. */
  public PublishFunction(BatchdropConfig config) {
    this.clients = new CloudClients(config);
    PriceTable prices = PriceTables.of(config.publish().priceTable());
    this.publisher =
        Lazy.of(
            () -> new JobPublisher(clients, prices, Clock.systemUTC(), JobCreator.Backoff.SLEEP));
  }

  @Override
  public void accept(CloudEvent event) throws Exception {
    HandOffMessage handOff;
    try {
      handOff = HandOffMessage.decode(messageData(event));
    } catch (HandOffMessage.MalformedHandOffException e) {
      LOG.error()
          .with("event_id", event.getId())
          .with("event_type", event.getType())
          .log("malformed hand-off dropped (a retry cannot fix it): " + e.getMessage());
      return;
    }
    try {
      publisher.get().handle(handOff);
    } catch (LeaseLostException e) {
      LOG.warning().run(handOff.runId()).job(handOff.jobId()).log(e.getMessage());
    } catch (JobBusyException e) {
      LOG.info().run(handOff.runId()).job(handOff.jobId()).log(e.getMessage());
      throw e;
    }
  }

  /** The Pub/Sub message's data out of the CloudEvent Eventarc delivers. */
  static byte[] messageData(CloudEvent event) throws HandOffMessage.MalformedHandOffException {
    try {
      return PubSubDelivery.messageData(
          event.getType(),
          event.getData() == null ? null : event.getData().toBytes(),
          1 << 20,
          "a hand-off is a few hundred");
    } catch (PubSubDelivery.MalformedDeliveryException e) {
      throw new HandOffMessage.MalformedHandOffException(e.getMessage());
    }
  }

  /** Releases the clients; an embedding host (a test, the local stack) calls it when done. */
  @Override
  public void close() throws Exception {
    clients.close();
  }
}
