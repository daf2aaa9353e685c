package io.batchdrop.submit;

import com.google.cloud.functions.CloudEventsFunction;
import io.batchdrop.cloud.CloudClients;
import io.batchdrop.cloud.config.BatchdropConfig;
import io.batchdrop.cloud.firestore.LeaseLostException;
import io.batchdrop.cloud.jobs.JobBusyException;
import io.batchdrop.cloud.jobs.JobCreator;
import io.batchdrop.cloud.jobs.NoTimeLeftException;
import io.batchdrop.cloud.log.StructuredLog;
import io.cloudevents.CloudEvent;
import java.time.Clock;

/**
 * The {@code submit} function: a Cloud Storage {@code object.v1.finalized} event in, batch jobs out
 * (design §1). What happens to the event is decided here, once:
 *
 * <table>
 *   <caption>Drop or redeliver</caption>
 *   <tr><th>outcome</th><th>the event</th><th>why</th></tr>
 *   <tr><td>ignored object, duplicate of a finished run</td><td>done</td><td>nothing to do</td></tr>
 *   <tr><td>malformed event</td><td>logged, dropped</td><td>a retry cannot fix it</td></tr>
 *   <tr><td>rejected file, refused job (recorded REJECTED / FAILED with events)</td>
 *       <td>done</td><td>the run has its outcome</td></tr>
 *   <tr><td>{@link LeaseLostException}</td><td>dropped</td>
 *       <td>another invocation took the run over and finishes it</td></tr>
 *   <tr><td>{@link RunBusyException}, {@link JobBusyException}</td><td>redelivered</td>
 *       <td>another invocation is working on it right now; the redelivery finds it done, or
 *       takes over a lease that expired</td></tr>
 *   <tr><td>a Firestore transaction ABORTED for contention ({@code FirestoreErrors.isContention})</td>
 *       <td>redelivered, not counted as a failure</td><td>another transaction holds a document it
 *       needs (one whose client died keeps it until it ends); the redelivery tries again</td></tr>
 *   <tr><td>{@link NoTimeLeftException}: less than one create attempt left before the timeout
 *       (less 60 s to record), shards still without a job</td><td>redelivered, not counted as a
 *       failure</td><td>the redelivery has a whole timeout of its own and creates the rest</td></tr>
 *   <tr><td>the Gemini API key's secret version missing, disabled or not readable by the
 *       function ({@code ConfigException} from {@code ApiKeys})</td><td>redelivered</td>
 *       <td>an operator fixes it (adds the version, grants the accessor role); the instance reads
 *       the secret again on the next event, and the redelivery submits the file</td></tr>
 *   <tr><td>anything else (storage, Firestore, Pub/Sub or Vertex unavailable, retries of a create
 *       used up)</td><td>redelivered</td><td>transient; every step is recorded, so the redelivery
 *       continues where this one stopped</td></tr>
 * </table>
 */
public final class SubmitFunction implements CloudEventsFunction, AutoCloseable {
  private static final StructuredLog LOG = StructuredLog.forComponent("submit");
  private final CloudClients clients;
  private final UploadSubmitter submitter;

  /** Used by the Functions Framework: configuration from the environment, checked at start. */
  public SubmitFunction() {
    this(BatchdropConfig.forFunction(BatchdropConfig.Reader.SUBMIT, System.getenv()));
  }

  /** Builds no client: each is built on first use, so a cold start opens no connection. */
  public SubmitFunction(BatchdropConfig config) {
    this.clients = new CloudClients(config);
    this.submitter = new UploadSubmitter(clients, Clock.systemUTC(), JobCreator.Backoff.SLEEP);
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
    try {
      submitter.handle(object);
    } catch (LeaseLostException e) {
      LOG.warning()
          .with("object", object.uri())
          .log("lease lost to another invocation; it finishes the run");
    } catch (RunBusyException | JobBusyException | NoTimeLeftException e) {
      LOG.info().with("object", object.uri()).log(e.getMessage());
      throw e;
    }
  }

  /** Releases the clients; an embedding host (a test, the local stack) calls it when done. */
  @Override
  public void close() throws Exception {
    clients.close();
  }
}
