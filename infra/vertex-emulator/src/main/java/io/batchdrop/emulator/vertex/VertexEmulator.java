package io.batchdrop.emulator.vertex;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.cloud.aiplatform.v1.BatchPredictionJob;
import com.google.cloud.aiplatform.v1.JobState;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;

/**
 * An in-process Vertex AI JobService for Gemini batch prediction jobs, on plaintext gRPC. Point the
 * official {@code JobServiceClient} at {@link #endpoint()} with a plaintext channel and no
 * credentials. Jobs read their input from and write their output to Cloud Storage through the
 * configured storage client.
 */
public final class VertexEmulator implements AutoCloseable {

  private final Server server;
  private final String host;
  private final JobStore store;
  private final VertexKnobs knobs;
  private final CallCounter calls;
  private final ScheduledExecutorService scheduler;
  private final Clock clock;

  private VertexEmulator(
      Server server,
      String host,
      JobStore store,
      VertexKnobs knobs,
      CallCounter calls,
      ScheduledExecutorService scheduler,
      Clock clock) {
    this.server = server;
    this.host = host;
    this.store = store;
    this.knobs = knobs;
    this.calls = calls;
    this.scheduler = scheduler;
    this.clock = clock;
  }

  public static VertexEmulator start(VertexEmulatorConfig config) throws IOException {
    Clock clock = Clock.systemUTC();
    ObjectMapper mapper = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(4, daemonThreads());
    JobStore store = new JobStore();
    VertexKnobs knobs = new VertexKnobs(config.pendingDelay(), config.runningDelay());
    CallCounter calls = new CallCounter();
    JobLifecycle lifecycle =
        new JobLifecycle(
            store,
            new BatchRunner(config.storage(), mapper, clock, config.jobLimits()),
            scheduler,
            clock);
    BatchPredictionJobService service =
        new BatchPredictionJobService(
            store, lifecycle, knobs, new ModelCatalog(config.models()), scheduler, clock);
    Server server =
        NettyServerBuilder.forAddress(new InetSocketAddress(config.host(), config.port()))
            .addService(ServerInterceptors.intercept(service, calls))
            .build();
    try {
      server.start();
    } catch (IOException | RuntimeException e) {
      scheduler.shutdownNow();
      throw e;
    }
    return new VertexEmulator(server, config.host(), store, knobs, calls, scheduler, clock);
  }

  public int port() {
    return server.getPort();
  }

  /** {@code host:port} for a plaintext gRPC channel. */
  public String endpoint() {
    return host + ":" + port();
  }

  public VertexKnobs knobs() {
    return knobs;
  }

  /** Sets a job's state as if Vertex had moved it, with the matching times; it then stays there. */
  public void forceState(String jobName, JobState state) {
    if (state == JobState.UNRECOGNIZED) {
      throw new IllegalArgumentException(
          "use forceStateValue for a state number the client does not know");
    }
    change(
        jobName,
        stored ->
            stored.withJob(
                JobStates.forced(stored.job(), state, stored.result(), clock.instant())));
  }

  /** Sets a raw state number, e.g. 42, which the client sees as {@code UNRECOGNIZED}. */
  public void forceStateValue(String jobName, int stateNumber) {
    change(
        jobName,
        stored ->
            stored.withJob(JobStates.forcedValue(stored.job(), stateNumber, clock.instant())));
  }

  /** Calls of a JobService method so far, by its gRPC name, e.g. {@code GetBatchPredictionJob}. */
  public int callCount(String methodName) {
    return calls.count(methodName);
  }

  /** Every job, in creation order, as a get would return it now. */
  public List<BatchPredictionJob> jobs() {
    return store.all().stream().map(StoredJob::job).toList();
  }

  /**
   * Waits until at least {@code count} jobs exist (e.g. a create whose answer is withheld has
   * reached the emulator) and returns them.
   *
   * @throws IllegalStateException when the timeout passes first
   */
  public List<BatchPredictionJob> awaitJobs(int count, Duration timeout)
      throws InterruptedException {
    if (!store.awaitSize(count, timeout)) {
      throw new IllegalStateException(
          "fewer than " + count + " jobs after " + timeout + ": " + jobs().size());
    }
    return jobs();
  }

  /** Forgets all jobs, knobs and call counts. */
  public void reset() {
    store.clear();
    knobs.reset();
    calls.reset();
  }

  @Override
  public void close() {
    server.shutdownNow();
    scheduler.shutdownNow();
    try {
      server.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Standalone: see {@link StandaloneOptions} for the flags. Runs until the process is killed. */
  public static void main(String[] args) {
    StandaloneOptions options;
    try {
      options = StandaloneOptions.parse(args, System.getenv());
    } catch (IllegalArgumentException e) {
      System.err.println("vertex emulator: " + e.getMessage());
      System.err.println(StandaloneOptions.USAGE);
      System.exit(2);
      return;
    }
    try {
      VertexEmulator emulator = start(options.config());
      Runtime.getRuntime().addShutdownHook(new Thread(emulator::close, "vertex-emulator-shutdown"));
      System.out.println("vertex emulator listening on " + emulator.endpoint());
      System.out.flush();
      emulator.server.awaitTermination();
    } catch (IOException e) {
      System.err.println("vertex emulator: cannot listen: " + e.getMessage());
      System.exit(1);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void change(String jobName, UnaryOperator<StoredJob> change) {
    try {
      store.change(jobName, change);
    } catch (StatusRuntimeException e) {
      throw new IllegalArgumentException(
          "no job " + jobName + ": " + e.getStatus().getDescription(), e);
    }
  }

  private static ThreadFactory daemonThreads() {
    AtomicInteger count = new AtomicInteger();
    return runnable -> {
      Thread thread = new Thread(runnable, "vertex-emulator-" + count.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }
}
