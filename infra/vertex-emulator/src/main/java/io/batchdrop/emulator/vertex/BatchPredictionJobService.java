package io.batchdrop.emulator.vertex;

import com.google.cloud.aiplatform.v1.BatchPredictionJob;
import com.google.cloud.aiplatform.v1.CancelBatchPredictionJobRequest;
import com.google.cloud.aiplatform.v1.CreateBatchPredictionJobRequest;
import com.google.cloud.aiplatform.v1.DeleteBatchPredictionJobRequest;
import com.google.cloud.aiplatform.v1.DeleteOperationMetadata;
import com.google.cloud.aiplatform.v1.GenericOperationMetadata;
import com.google.cloud.aiplatform.v1.GetBatchPredictionJobRequest;
import com.google.cloud.aiplatform.v1.JobServiceGrpc;
import com.google.cloud.aiplatform.v1.JobState;
import com.google.cloud.aiplatform.v1.ListBatchPredictionJobsRequest;
import com.google.cloud.aiplatform.v1.ListBatchPredictionJobsResponse;
import com.google.longrunning.Operation;
import com.google.protobuf.Any;
import com.google.protobuf.Empty;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The BatchPredictionJob methods of Vertex AI's JobService. Every other JobService method keeps the
 * base class answer, UNIMPLEMENTED.
 */
final class BatchPredictionJobService extends JobServiceGrpc.JobServiceImplBase {

  private final JobStore store;
  private final JobLifecycle lifecycle;
  private final VertexKnobs knobs;
  private final ModelCatalog models;
  private final ScheduledExecutorService scheduler;
  private final Clock clock;

  BatchPredictionJobService(
      JobStore store,
      JobLifecycle lifecycle,
      VertexKnobs knobs,
      ModelCatalog models,
      ScheduledExecutorService scheduler,
      Clock clock) {
    this.store = store;
    this.lifecycle = lifecycle;
    this.knobs = knobs;
    this.models = models;
    this.scheduler = scheduler;
    this.clock = clock;
  }

  @Override
  public void createBatchPredictionJob(
      CreateBatchPredictionJobRequest request, StreamObserver<BatchPredictionJob> responses) {
    if (knobs.takeWithheldCreateAnswer()) {
      answer(new SilentObserver<>(), () -> create(request)); // the call stays open, unanswered
      return;
    }
    answer(responses, () -> create(request));
  }

  /** Swallows an answer: the caller of a withheld create never hears back. */
  private static final class SilentObserver<T> implements StreamObserver<T> {
    @Override
    public void onNext(T value) {}

    @Override
    public void onError(Throwable error) {}

    @Override
    public void onCompleted() {}
  }

  @Override
  public void getBatchPredictionJob(
      GetBatchPredictionJobRequest request, StreamObserver<BatchPredictionJob> responses) {
    Duration latency = knobs.getLatency();
    Supplier<BatchPredictionJob> get =
        () -> {
          Status.Code planned = knobs.takeGetFailure();
          if (planned != Status.Code.OK) {
            throw Status.fromCode(planned)
                .withDescription(plannedFailureMessage(planned))
                .asRuntimeException();
          }
          return store.get(request.getName()).job();
        };
    if (latency.isZero()) {
      answer(responses, get);
    } else {
      scheduler.schedule(() -> answer(responses, get), latency.toNanos(), TimeUnit.NANOSECONDS);
    }
  }

  @Override
  public void listBatchPredictionJobs(
      ListBatchPredictionJobsRequest request,
      StreamObserver<ListBatchPredictionJobsResponse> responses) {
    answer(
        responses,
        () -> {
          Status.Code planned = knobs.takeListFailure();
          if (planned != Status.Code.OK) {
            throw Status.fromCode(planned)
                .withDescription(plannedFailureMessage(planned))
                .asRuntimeException();
          }
          return JobListing.page(request, store.all());
        });
  }

  @Override
  public void cancelBatchPredictionJob(
      CancelBatchPredictionJobRequest request, StreamObserver<Empty> responses) {
    answer(
        responses,
        () -> {
          lifecycle.cancel(request.getName());
          return Empty.getDefaultInstance();
        });
  }

  @Override
  public void deleteBatchPredictionJob(
      DeleteBatchPredictionJobRequest request, StreamObserver<Operation> responses) {
    answer(responses, () -> delete(request.getName()));
  }

  private BatchPredictionJob create(CreateBatchPredictionJobRequest request) {
    Status.Code planned = knobs.takeCreateFailure();
    if (planned != Status.Code.OK) {
      throw Status.fromCode(planned)
          .withDescription(plannedFailureMessage(planned))
          .asRuntimeException();
    }
    String location = ResourceNames.locationOfParent(request.getParent());
    BatchPredictionJob requested = request.getBatchPredictionJob();
    CreateJobValidator.validate(requested);
    models.resolve(requested.getModel());
    long id = store.newId();
    Instant now = clock.instant();
    BatchPredictionJob job =
        withoutOutputOnlyFields(requested)
            .setName(ResourceNames.jobName(location, id))
            .setState(JobState.JOB_STATE_PENDING)
            .setCreateTime(Times.timestamp(now))
            .setUpdateTime(Times.timestamp(now))
            .build();
    StoredJob stored = new StoredJob(id, location, job, knobs.planJob(), 0, Optional.empty());
    store.add(stored);
    lifecycle.start(stored);
    return job;
  }

  private Operation delete(String name) {
    StoredJob deleted =
        store.remove(
            name,
            stored -> {
              if (!JobStates.isTerminal(stored.job())) {
                throw Status.FAILED_PRECONDITION
                    .withDescription(
                        "BatchPredictionJob "
                            + name
                            + " is in state "
                            + stored.job().getState()
                            + "; only a job in a final state can be deleted. Cancel it first.")
                    .asRuntimeException();
              }
            });
    Instant now = clock.instant();
    DeleteOperationMetadata metadata =
        DeleteOperationMetadata.newBuilder()
            .setGenericMetadata(
                GenericOperationMetadata.newBuilder()
                    .setCreateTime(Times.timestamp(now))
                    .setUpdateTime(Times.timestamp(now)))
            .build();
    return Operation.newBuilder()
        .setName(ResourceNames.operationName(deleted.location(), store.newId()))
        .setMetadata(Any.pack(metadata))
        .setDone(true)
        .setResponse(Any.pack(Empty.getDefaultInstance()))
        .build();
  }

  private static BatchPredictionJob.Builder withoutOutputOnlyFields(BatchPredictionJob requested) {
    return requested.toBuilder()
        .clearName()
        .clearModelVersionId()
        .clearOutputInfo()
        .clearState()
        .clearError()
        .clearPartialFailures()
        .clearResourcesConsumed()
        .clearCompletionStats()
        .clearCreateTime()
        .clearStartTime()
        .clearEndTime()
        .clearUpdateTime();
  }

  private static String plannedFailureMessage(Status.Code code) {
    return switch (code) {
      case RESOURCE_EXHAUSTED ->
          "Quota exceeded for aiplatform.googleapis.com/gemini_batch_prediction_jobs. "
              + "Please try again later.";
      case UNAVAILABLE -> "The service is currently unavailable.";
      default -> "Planned failure of the Vertex AI emulator.";
    };
  }

  /** Sends the result of {@code work}, or the gRPC status it failed with. */
  private static <T> void answer(StreamObserver<T> responses, Supplier<T> work) {
    T result;
    try {
      result = work.get();
    } catch (StatusRuntimeException e) {
      responses.onError(e);
      return;
    } catch (RuntimeException e) {
      responses.onError(
          Status.INTERNAL
              .withDescription("Internal error in the Vertex AI emulator: " + e)
              .withCause(e)
              .asRuntimeException());
      return;
    }
    responses.onNext(result);
    responses.onCompleted();
  }
}
