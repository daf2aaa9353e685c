package io.batchdrop.submit;

import com.google.cloud.functions.CloudEventsFunction;
import io.batchdrop.cloud.CloudClients;
import io.batchdrop.cloud.config.BatchdropConfig;
import io.batchdrop.cloud.log.StructuredLog;
import io.cloudevents.CloudEvent;
import java.time.Clock;

/**
 * The {@code submit} function: a Cloud Storage {@code object.v1.finalized} event in, Vertex batch
 * jobs out (DESIGN §1). It returns normally for everything a retry cannot fix (ignored objects,
 * malformed events, rejected files, refused jobs) and fails only for what a retry may heal, so
 * Eventarc never retries a hopeless event for a day.
 */
public final class SubmitFunction implements CloudEventsFunction, AutoCloseable {
  private static final StructuredLog LOG = StructuredLog.forComponent("submit");
  private final CloudClients clients;
  private final UploadSubmitter submitter;

  /** Used by the Functions Framework: configuration from the environment, checked at start. */
  public SubmitFunction() {
    this(BatchdropConfig.fromEnvironment(System.getenv()));
  }

  public SubmitFunction(BatchdropConfig config) {
    this.clients = new CloudClients(config);
    this.submitter =
        new UploadSubmitter(clients, Clock.systemUTC(), pause -> Thread.sleep(pause.toMillis()));
  }

  @Override
  public void accept(CloudEvent event) throws Exception {
    UploadedObject object;
    try {
      object = FinalizeEvent.parse(event);
    } catch (MalformedEventException e) {
      LOG.error()
          .with("event_id", event.getId())
          .with("event_type", event.getType())
          .log("malformed event dropped (a retry cannot fix it): " + e.getMessage());
      return;
    }
    submitter.handle(object);
  }

  /** Releases the clients; an embedding host (a test, the local stack) calls it when done. */
  @Override
  public void close() throws Exception {
    clients.close();
  }
}
