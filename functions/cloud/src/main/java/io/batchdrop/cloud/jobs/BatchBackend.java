package io.batchdrop.cloud.jobs;

import com.google.cloud.aiplatform.v1.BatchPredictionJob;
import java.util.Optional;

/**
 * One batch service behind the job seam (design §2): the calls {@link JobCreator} needs to create a
 * job exactly once, and what poll and the run watchdog need afterwards. Every call has a deadline
 * and fails with a gax {@link com.google.api.gax.rpc.ApiException} whose code says whether the job
 * may have been created, so {@link JobCreator}'s rules hold for every backend.
 *
 * <p>Answers are expressed in Vertex's {@link BatchPredictionJob} message, the vocabulary the rest
 * of Batchdrop already records: {@code state} a {@code JOB_STATE_*}, {@code completionStats},
 * {@code error}, {@code outputInfo.gcsOutputDirectory} (always a Cloud Storage directory of {@code
 * predictions*.jsonl} files) and the create/start/end/update times. A backend maps its own answer
 * onto those fields and leaves the others empty.
 */
public interface BatchBackend {
  /** {@code vertex} or {@code gemini-api}: the value of {@code BATCHDROP_BACKEND}. */
  String id();

  /** The job made earlier for this spec, found by what the spec stamped on it (label or name). */
  Optional<BatchPredictionJob> find(JobSpec spec);

  /**
   * One create. Never repeated by the caller without a {@link #find} first. The caller asked {@code
   * gate} just before; a backend that does slow work before the request that makes the job (the
   * Gemini API's upload) asks it again right before that request.
   *
   * @throws CreateGate.Closed when the gate closed before the request; nothing was created
   */
  BatchPredictionJob create(JobSpec spec, CreateGate gate) throws InterruptedException;

  /**
   * The job as the service sees it now. A finished job's rows are in Cloud Storage under {@code
   * outputUriPrefix} (the job's own prefix in the work bucket) by the time this answers it
   * terminal.
   */
  BatchPredictionJob get(String name, String outputUriPrefix) throws InterruptedException;

  /** Asks the service to cancel; cancellation shows in a later {@link #get}. */
  void cancel(String name);
}
