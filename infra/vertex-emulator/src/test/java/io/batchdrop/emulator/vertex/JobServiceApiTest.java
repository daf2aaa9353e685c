package io.batchdrop.emulator.vertex;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.api.gax.rpc.FailedPreconditionException;
import com.google.api.gax.rpc.InvalidArgumentException;
import com.google.api.gax.rpc.NotFoundException;
import com.google.api.gax.rpc.ResourceExhaustedException;
import com.google.api.gax.rpc.UnavailableException;
import com.google.api.gax.rpc.UnimplementedException;
import com.google.cloud.NoCredentials;
import com.google.cloud.aiplatform.v1.BatchPredictionJob;
import com.google.cloud.aiplatform.v1.JobServiceClient;
import com.google.cloud.aiplatform.v1.JobState;
import com.google.cloud.aiplatform.v1.ListBatchPredictionJobsRequest;
import com.google.cloud.aiplatform.v1.ListBatchPredictionJobsResponse;
import com.google.cloud.aiplatform.v1.LocationName;
import com.google.cloud.storage.StorageOptions;
import com.google.protobuf.FieldMask;
import com.google.protobuf.util.Timestamps;
import io.grpc.Status;
import java.time.Duration;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The JobService surface through the official client. Jobs here stay PENDING for an hour, so they
 * never touch Cloud Storage; tests move them with {@code forceState}, as a poller's tests would.
 */
class JobServiceApiTest {

  private static VertexEmulator emulator;
  private static JobServiceClient client;

  @BeforeAll
  static void start() throws Exception {
    // Never contacted: no job here leaves PENDING, so nothing reads or writes objects.
    var unusedStorage =
        StorageOptions.http()
            .setHost("http://127.0.0.1:9")
            .setProjectId("p")
            .setCredentials(NoCredentials.getInstance())
            .build()
            .getService();
    emulator =
        VertexEmulator.start(
            VertexEmulatorConfig.immediate(unusedStorage)
                .withDelays(Duration.ofHours(1), Duration.ofHours(1)));
    client = JobServiceClients.plaintext(emulator);
  }

  @AfterAll
  static void stop() {
    client.close();
    emulator.close();
  }

  @BeforeEach
  void forgetJobs() {
    emulator.reset();
  }

  @Test
  void createAnswersPendingJobNamedWithTheProjectNumber() {
    BatchPredictionJob created =
        client.createBatchPredictionJob(
            JobRequests.PARENT, JobRequests.gemini("job-a").putLabels("run", "r1").build());

    assertThat(created.getName())
        .matches("projects/123456789012/locations/us-central1/batchPredictionJobs/\\d{10,}");
    assertThat(created.getState()).isEqualTo(JobState.JOB_STATE_PENDING);
    assertThat(created.getDisplayName()).isEqualTo("job-a");
    assertThat(created.getModel()).isEqualTo(JobRequests.MODEL);
    assertThat(created.getLabelsMap())
        .containsEntry("run", "r1")
        .containsEntry("batchdrop-job", "job-a");
    assertThat(created.hasCreateTime()).isTrue();
    assertThat(created.getUpdateTime()).isEqualTo(created.getCreateTime());
    assertThat(created.hasStartTime()).isFalse();
    assertThat(created.hasCompletionStats()).isFalse();
    assertThat(client.getBatchPredictionJob(created.getName())).isEqualTo(created);
  }

  @Test
  void createAcceptsAFullPublisherModelNameAndTheLocationName() {
    BatchPredictionJob created =
        client.createBatchPredictionJob(
            LocationName.of("my-project", "europe-west4"),
            JobRequests.gemini("job-a")
                .setModel(
                    "projects/my-project/locations/europe-west4/publishers/google/models/gemini-2.5-pro")
                .build());

    assertThat(created.getName())
        .startsWith("projects/123456789012/locations/europe-west4/batchPredictionJobs/");
  }

  @Test
  void jobsCanBeReadBackByTheProjectIdToo() {
    BatchPredictionJob created =
        client.createBatchPredictionJob(JobRequests.PARENT, JobRequests.gemini("job-a").build());
    String byProjectId =
        created.getName().replace("projects/123456789012/", "projects/my-project/");

    assertThat(client.getBatchPredictionJob(byProjectId).getName()).isEqualTo(created.getName());
  }

  @Test
  void anUnknownModelIsNotFound() {
    assertThatThrownBy(
            () ->
                client.createBatchPredictionJob(
                    JobRequests.PARENT,
                    JobRequests.gemini("job-a")
                        .setModel("publishers/google/models/gemini-9-ultra")
                        .build()))
        .isInstanceOf(NotFoundException.class)
        .hasMessageContaining(
            "The PublisherModel publishers/google/models/gemini-9-ultra does not exist.");
    assertThat(emulator.jobs()).isEmpty();
  }

  @Test
  void theModelSetIsConfigurable() throws Exception {
    var storage =
        StorageOptions.http()
            .setHost("http://127.0.0.1:9")
            .setProjectId("p")
            .setCredentials(NoCredentials.getInstance())
            .build()
            .getService();
    try (VertexEmulator custom =
            VertexEmulator.start(
                VertexEmulatorConfig.immediate(storage)
                    .withDelays(Duration.ofHours(1), Duration.ofHours(1))
                    .withModels(java.util.Set.of("gemini-3-flash")));
        JobServiceClient customClient = JobServiceClients.plaintext(custom)) {
      assertThat(
              customClient
                  .createBatchPredictionJob(
                      JobRequests.PARENT,
                      JobRequests.gemini("job-a")
                          .setModel("publishers/google/models/gemini-3-flash")
                          .build())
                  .getState())
          .isEqualTo(JobState.JOB_STATE_PENDING);
      assertThatThrownBy(
              () ->
                  customClient.createBatchPredictionJob(
                      JobRequests.PARENT, JobRequests.gemini("job-b").build()))
          .isInstanceOf(NotFoundException.class);
    }
  }

  static Stream<Arguments> incompleteJobs() {
    return Stream.of(
        invalid("display_name", b -> b.clearDisplayName()),
        invalid("model", b -> b.clearModel()),
        invalid("input_config", b -> b.clearInputConfig()),
        invalid(
            "instances_format",
            b -> b.setInputConfig(b.getInputConfig().toBuilder().clearInstancesFormat())),
        invalid(
            "gcs_source.uris",
            b -> b.setInputConfig(b.getInputConfig().toBuilder().clearGcsSource())),
        invalid(
            "gs://bucket/object",
            b ->
                b.setInputConfig(
                    b.getInputConfig().toBuilder()
                        .setGcsSource(
                            b.getInputConfig().getGcsSource().toBuilder()
                                .setUris(0, "/local/file.jsonl")))),
        invalid("output_config", b -> b.clearOutputConfig()),
        invalid(
            "predictions_format",
            b -> b.setOutputConfig(b.getOutputConfig().toBuilder().clearPredictionsFormat())),
        invalid(
            "\"bigquery\"",
            b ->
                b.setOutputConfig(
                    b.getOutputConfig().toBuilder().setPredictionsFormat("bigquery"))),
        invalid(
            "output_uri_prefix",
            b -> b.setOutputConfig(b.getOutputConfig().toBuilder().clearGcsDestination())),
        invalid("label key", b -> b.putLabels("Upper", "x")),
        invalid("label value", b -> b.putLabels("k", "Has Spaces")));
  }

  private static Arguments invalid(
      String named, UnaryOperator<BatchPredictionJob.Builder> breakIt) {
    return Arguments.of(named, breakIt);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("incompleteJobs")
  void anIncompleteJobIsInvalidNamingTheField(
      String named, UnaryOperator<BatchPredictionJob.Builder> breakIt) {
    assertThatThrownBy(
            () ->
                client.createBatchPredictionJob(
                    JobRequests.PARENT, breakIt.apply(JobRequests.gemini("job-a")).build()))
        .isInstanceOf(InvalidArgumentException.class)
        .hasMessageContaining(named);
  }

  @Test
  void aMalformedParentIsInvalid() {
    assertThatThrownBy(
            () ->
                client.createBatchPredictionJob("projects/p", JobRequests.gemini("job-a").build()))
        .isInstanceOf(InvalidArgumentException.class);
  }

  @Test
  void plannedCreateFailuresSurfaceAsTheMatchingExceptionThenCreatesSucceedAgain() {
    emulator.knobs().failNextCreates(2, Status.Code.RESOURCE_EXHAUSTED);

    for (int i = 0; i < 2; i++) {
      assertThatThrownBy(
              () ->
                  client.createBatchPredictionJob(
                      JobRequests.PARENT, JobRequests.gemini("job-a").build()))
          .isInstanceOfSatisfying(
              ResourceExhaustedException.class,
              e -> assertThat(e.getStatusCode().getCode().name()).isEqualTo("RESOURCE_EXHAUSTED"));
    }
    assertThat(
            client
                .createBatchPredictionJob(JobRequests.PARENT, JobRequests.gemini("job-a").build())
                .getState())
        .isEqualTo(JobState.JOB_STATE_PENDING);

    emulator.knobs().failNextCreates(1, Status.Code.UNAVAILABLE);
    assertThatThrownBy(
            () ->
                client.createBatchPredictionJob(
                    JobRequests.PARENT, JobRequests.gemini("job-b").build()))
        .isInstanceOf(UnavailableException.class);
    assertThat(emulator.jobs())
        .extracting(BatchPredictionJob::getDisplayName)
        .containsExactly("job-a");
  }

  @Test
  void aWithheldCreateAnswerLeavesTheJobMadeAndTheCallerWaiting() throws Exception {
    emulator.knobs().withholdNextCreateAnswers(1);

    var call =
        client
            .createBatchPredictionJobCallable()
            .futureCall(
                com.google.cloud.aiplatform.v1.CreateBatchPredictionJobRequest.newBuilder()
                    .setParent(JobRequests.PARENT)
                    .setBatchPredictionJob(JobRequests.gemini("job-lost"))
                    .build());
    List<BatchPredictionJob> jobs = emulator.awaitJobs(1, Duration.ofSeconds(10));

    assertThat(jobs).extracting(BatchPredictionJob::getDisplayName).containsExactly("job-lost");
    assertThat(call.isDone()).isFalse();
    call.cancel(true);
    assertThat(
            client
                .createBatchPredictionJob(
                    JobRequests.PARENT, JobRequests.gemini("job-next").build())
                .getDisplayName())
        .isEqualTo("job-next");
  }

  @Test
  void createsCanFailAfterSomeSucceeded() {
    emulator.knobs().failCreatesAfter(1, 1, Status.Code.INVALID_ARGUMENT);

    client.createBatchPredictionJob(JobRequests.PARENT, JobRequests.gemini("job-a").build());
    assertThatThrownBy(
            () ->
                client.createBatchPredictionJob(
                    JobRequests.PARENT, JobRequests.gemini("job-b").build()))
        .isInstanceOf(com.google.api.gax.rpc.InvalidArgumentException.class);
    client.createBatchPredictionJob(JobRequests.PARENT, JobRequests.gemini("job-c").build());

    assertThat(emulator.jobs())
        .extracting(BatchPredictionJob::getDisplayName)
        .containsExactly("job-a", "job-c");
  }

  @Test
  void plannedListFailuresSurfaceAsTheMatchingExceptionThenListsSucceedAgain() {
    client.createBatchPredictionJob(JobRequests.PARENT, JobRequests.gemini("job-a").build());
    emulator.knobs().failNextLists(1, Status.Code.PERMISSION_DENIED);

    assertThatThrownBy(() -> names("display_name=\"job-a\""))
        .isInstanceOf(com.google.api.gax.rpc.PermissionDeniedException.class);
    assertThat(names("display_name=\"job-a\"")).hasSize(1);
  }

  @Test
  void plannedGetFailuresSurfaceAsTheMatchingExceptionThenGetsSucceedAgain() {
    String name = createJobA();
    emulator.knobs().failNextGets(2, Status.Code.INTERNAL);

    for (int i = 0; i < 2; i++) {
      assertThatThrownBy(() -> client.getBatchPredictionJob(name))
          .isInstanceOfSatisfying(
              com.google.api.gax.rpc.InternalException.class,
              e -> assertThat(e.getStatusCode().getCode().name()).isEqualTo("INTERNAL"));
    }
    assertThat(client.getBatchPredictionJob(name).getState()).isEqualTo(JobState.JOB_STATE_PENDING);
    assertThat(emulator.knobs().failingGets()).isZero();
  }

  @Test
  void forcedStatesAreWhatGetSeesWithTheirTimes() {
    String name = createJobA();

    emulator.forceState(name, JobState.JOB_STATE_RUNNING);
    BatchPredictionJob running = client.getBatchPredictionJob(name);
    assertThat(running.getState()).isEqualTo(JobState.JOB_STATE_RUNNING);
    assertThat(running.hasStartTime()).isTrue();
    assertThat(running.hasEndTime()).isFalse();

    emulator.forceState(name, JobState.JOB_STATE_FAILED);
    BatchPredictionJob failed = client.getBatchPredictionJob(name);
    assertThat(failed.getState()).isEqualTo(JobState.JOB_STATE_FAILED);
    assertThat(failed.hasEndTime()).isTrue();
    assertThat(failed.getUpdateTime()).isEqualTo(failed.getEndTime());
    assertThat(failed.getError().getCode()).isEqualTo(13);
  }

  @Test
  void anUnknownStateNumberReachesTheClientAsUnrecognized() {
    String name = createJobA();

    emulator.forceStateValue(name, 42);

    BatchPredictionJob job = client.getBatchPredictionJob(name);
    assertThat(job.getState()).isEqualTo(JobState.UNRECOGNIZED);
    assertThat(job.getStateValue()).isEqualTo(42);
  }

  @Test
  void forcingAnUnknownJobIsAnError() {
    assertThatThrownBy(
            () ->
                emulator.forceState(
                    "projects/123456789012/locations/us-central1/batchPredictionJobs/1",
                    JobState.JOB_STATE_RUNNING))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void getOfAnUnknownJobIsNotFoundAndOfAMalformedNameInvalid() {
    assertThatThrownBy(
            () ->
                client.getBatchPredictionJob(
                    "projects/123456789012/locations/us-central1/batchPredictionJobs/1"))
        .isInstanceOf(NotFoundException.class);
    assertThatThrownBy(() -> client.getBatchPredictionJob("projects/p/locations/l/customJobs/1"))
        .isInstanceOf(InvalidArgumentException.class);
  }

  @Test
  void aJobIsOnlyFoundInItsOwnLocation() {
    String name = createJobA();

    assertThatThrownBy(
            () -> client.getBatchPredictionJob(name.replace("us-central1", "europe-west4")))
        .isInstanceOf(NotFoundException.class);
  }

  @Test
  void cancelMovesAPendingJobToCancellingAndRefusesATerminalOne() {
    String name = createJobA();

    client.cancelBatchPredictionJob(name);
    assertThat(client.getBatchPredictionJob(name).getState())
        .isEqualTo(JobState.JOB_STATE_CANCELLING);

    emulator.forceState(name, JobState.JOB_STATE_SUCCEEDED);
    assertThatThrownBy(() -> client.cancelBatchPredictionJob(name))
        .isInstanceOf(FailedPreconditionException.class)
        .hasMessageContaining("JOB_STATE_SUCCEEDED");
  }

  @Test
  void deleteRemovesOnlyFinishedJobsThroughAnOperationThatIsAlreadyDone() throws Exception {
    String name = createJobA();

    assertThatThrownBy(() -> client.deleteBatchPredictionJobAsync(name).get())
        .hasCauseInstanceOf(FailedPreconditionException.class);

    emulator.forceState(name, JobState.JOB_STATE_CANCELLED);
    var operation = client.deleteBatchPredictionJobAsync(name);
    assertThat(operation.get(30, java.util.concurrent.TimeUnit.SECONDS))
        .isEqualTo(com.google.protobuf.Empty.getDefaultInstance());
    assertThat(operation.getName())
        .startsWith("projects/123456789012/locations/us-central1/operations/");
    assertThatThrownBy(() -> client.getBatchPredictionJob(name))
        .isInstanceOf(NotFoundException.class);
    assertThat(emulator.callCount("DeleteBatchPredictionJob")).isEqualTo(2);
  }

  @Test
  void listFindsJobsByLabelAndState() {
    BatchPredictionJob a =
        client.createBatchPredictionJob(
            JobRequests.PARENT,
            JobRequests.gemini("job-a")
                .putLabels("app", "batchdrop")
                .putLabels("run", "r1")
                .build());
    BatchPredictionJob b =
        client.createBatchPredictionJob(
            JobRequests.PARENT,
            JobRequests.gemini("job-b")
                .putLabels("app", "batchdrop")
                .putLabels("run", "r2")
                .build());
    BatchPredictionJob other =
        client.createBatchPredictionJob(
            JobRequests.PARENT, JobRequests.gemini("job-c").putLabels("app", "other").build());
    emulator.forceState(b.getName(), JobState.JOB_STATE_RUNNING);
    emulator.forceState(other.getName(), JobState.JOB_STATE_SUCCEEDED);

    assertThat(names("labels.run=r1")).containsExactly(a.getName());
    assertThat(names("labels.app=\"batchdrop\"")).containsExactly(a.getName(), b.getName());
    assertThat(names("labels.run:*")).containsExactly(a.getName(), b.getName());
    assertThat(names("NOT labels.run:*")).containsExactly(other.getName());
    assertThat(names("state=\"JOB_STATE_RUNNING\"")).containsExactly(b.getName());
    assertThat(names("state=JOB_STATE_SUCCEEDED")).containsExactly(other.getName());
    assertThat(
            names(
                "labels.app=batchdrop AND (state=\"JOB_STATE_QUEUED\" OR state=\"JOB_STATE_PENDING\""
                    + " OR state=\"JOB_STATE_RUNNING\" OR state=\"JOB_STATE_CANCELLING\")"))
        .containsExactly(a.getName(), b.getName());
    assertThat(names("state!=JOB_STATE_PENDING labels.app=batchdrop")).containsExactly(b.getName());
    assertThat(names("display_name=\"job-b\" OR display_name=\"job-c\""))
        .containsExactly(b.getName(), other.getName());
    assertThat(names("display_name:\"job-*\"")).hasSize(3);
    assertThat(names("model_display_name=\"gemini-2.5-flash\"")).hasSize(3);
    assertThat(names("")).hasSize(3);
  }

  @Test
  void listFiltersOnCreateTime() {
    BatchPredictionJob a =
        client.createBatchPredictionJob(JobRequests.PARENT, JobRequests.gemini("job-a").build());
    String createdAt = Timestamps.toString(a.getCreateTime());

    assertThat(names("create_time>=\"" + createdAt + "\"")).containsExactly(a.getName());
    assertThat(names("create_time>\"" + createdAt + "\"")).isEmpty();
    assertThat(names("create_time<\"2000-01-01T00:00:00Z\"")).isEmpty();
    assertThat(names("create_time>\"2000-01-01T00:00:00+02:00\"")).containsExactly(a.getName());
  }

  @Test
  void listOnlySeesTheParentsLocation() {
    client.createBatchPredictionJob(JobRequests.PARENT, JobRequests.gemini("job-a").build());

    assertThat(
            client
                .listBatchPredictionJobs("projects/my-project/locations/europe-west4")
                .iterateAll())
        .isEmpty();
  }

  @Test
  void listPagesThroughEveryJobOnce() {
    for (int i = 0; i < 7; i++) {
      client.createBatchPredictionJob(JobRequests.PARENT, JobRequests.gemini("job-" + i).build());
    }
    ListBatchPredictionJobsRequest request =
        ListBatchPredictionJobsRequest.newBuilder()
            .setParent(JobRequests.PARENT)
            .setPageSize(3)
            .build();

    ListBatchPredictionJobsResponse first = client.listBatchPredictionJobsCallable().call(request);
    assertThat(first.getBatchPredictionJobsCount()).isEqualTo(3);
    assertThat(first.getNextPageToken()).isNotEmpty();

    List<String> all = new java.util.ArrayList<>();
    client
        .listBatchPredictionJobs(request)
        .iterateAll()
        .forEach(job -> all.add(job.getDisplayName()));
    assertThat(all).containsExactly("job-0", "job-1", "job-2", "job-3", "job-4", "job-5", "job-6");
    assertThat(emulator.callCount("ListBatchPredictionJobs")).isEqualTo(1 + 3);
  }

  @Test
  void listReturnsOnlyTheFieldsOfTheReadMask() {
    client.createBatchPredictionJob(JobRequests.PARENT, JobRequests.gemini("job-a").build());

    BatchPredictionJob job =
        client
            .listBatchPredictionJobs(
                ListBatchPredictionJobsRequest.newBuilder()
                    .setParent(JobRequests.PARENT)
                    .setReadMask(FieldMask.newBuilder().addPaths("name").addPaths("state"))
                    .build())
            .iterateAll()
            .iterator()
            .next();

    assertThat(job.getName()).isNotEmpty();
    assertThat(job.getState()).isEqualTo(JobState.JOB_STATE_PENDING);
    assertThat(job.getDisplayName()).isEmpty();
    assertThat(job.getLabelsMap()).isEmpty();
  }

  @ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(
      strings = {
        "labels.run",
        "state=\"JOB_STATE_DONE\"",
        "color=red",
        "(labels.a=b",
        "labels.a=b OR",
        "state>JOB_STATE_RUNNING",
        "create_time>\"yesterday\"",
        "labels.a=b AND AND labels.c=d",
        "display_name=\"unterminated",
        "labels.a==b"
      })
  void anUnderstoodFilterIsInvalid(String filter) {
    client.createBatchPredictionJob(JobRequests.PARENT, JobRequests.gemini("job-a").build());

    assertThatThrownBy(() -> names(filter)).isInstanceOf(InvalidArgumentException.class);
  }

  @Test
  void anUnreadablePageTokenIsInvalid() {
    assertThatThrownBy(
            () ->
                client
                    .listBatchPredictionJobsCallable()
                    .call(
                        ListBatchPredictionJobsRequest.newBuilder()
                            .setParent(JobRequests.PARENT)
                            .setPageToken("garbage!")
                            .build()))
        .isInstanceOf(InvalidArgumentException.class);
  }

  @Test
  void callsAreCountedPerMethod() {
    String name = createJobA();
    for (int i = 0; i < 3; i++) {
      client.getBatchPredictionJob(name);
    }
    assertThatThrownBy(() -> client.getBatchPredictionJob(name.replaceAll("\\d+$", "1")))
        .isInstanceOf(NotFoundException.class);

    assertThat(emulator.callCount("CreateBatchPredictionJob")).isEqualTo(1);
    assertThat(emulator.callCount("GetBatchPredictionJob")).isEqualTo(4);
    assertThat(emulator.callCount("CancelBatchPredictionJob")).isZero();
  }

  @Test
  void aGetWithArtificialLatencyStillAnswers() {
    String name = createJobA();
    emulator.knobs().getLatency(Duration.ofMillis(20));

    assertThat(client.getBatchPredictionJob(name).getName()).isEqualTo(name);
    assertThatThrownBy(() -> client.getBatchPredictionJob(name.replaceAll("\\d+$", "1")))
        .isInstanceOf(NotFoundException.class);
  }

  @Test
  void otherJobServiceMethodsAreUnimplemented() {
    assertThatThrownBy(
            () -> client.listCustomJobs(JobRequests.PARENT).iterateAll().iterator().hasNext())
        .isInstanceOf(UnimplementedException.class);
  }

  @Test
  void resetForgetsJobsKnobsAndCounts() {
    client.createBatchPredictionJob(JobRequests.PARENT, JobRequests.gemini("job-a").build());
    emulator
        .knobs()
        .failNextCreates(5, Status.Code.UNAVAILABLE)
        .failNextGets(3, Status.Code.UNAVAILABLE)
        .outputFiles(3)
        .endJobsAs(JobState.JOB_STATE_EXPIRED);

    emulator.reset();

    assertThat(emulator.jobs()).isEmpty();
    assertThat(emulator.callCount("CreateBatchPredictionJob")).isZero();
    assertThat(emulator.knobs().failingCreates()).isZero();
    assertThat(emulator.knobs().failingGets()).isZero();
    assertThat(emulator.knobs().outputFiles()).isEqualTo(1);
    assertThat(emulator.knobs().endingState()).isEqualTo(JobState.JOB_STATE_SUCCEEDED);
    assertThat(emulator.knobs().pendingDelay()).isEqualTo(Duration.ofHours(1));
    assertThat(client.listBatchPredictionJobs(JobRequests.PARENT).iterateAll()).isEmpty();
  }

  /** Creates job-a, which stays PENDING here, and answers its name. */
  private static String createJobA() {
    return client
        .createBatchPredictionJob(JobRequests.PARENT, JobRequests.gemini("job-a").build())
        .getName();
  }

  private static List<String> names(String filter) {
    List<String> names = new java.util.ArrayList<>();
    client
        .listBatchPredictionJobs(
            ListBatchPredictionJobsRequest.newBuilder()
                .setParent(JobRequests.PARENT)
                .setFilter(filter)
                .build())
        .iterateAll()
        .forEach(job -> names.add(job.getName()));
    return names;
  }
}
