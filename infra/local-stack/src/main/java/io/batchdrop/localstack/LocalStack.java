package io.batchdrop.localstack;

import com.google.cloud.storage.Blob;
import com.google.cloud.storage.BlobInfo;
import io.batchdrop.testing.InvokedFunction;
import io.batchdrop.testing.LocalCloud;
import io.batchdrop.testing.LocalDeployment;
import java.net.http.HttpResponse;
import java.util.Map;

/**
 * Batchdrop running offline with its production code paths: the local cloud, {@code submit} and
 * {@code poll} on the real Functions Framework invoker in their own JVMs, the storage emulator
 * POSTing finalize CloudEvents to {@code submit} as Eventarc does, and scheduler ticks for {@code
 * poll}.
 */
public final class LocalStack implements AutoCloseable {
  public static final String PREFIX = "incoming/";

  private final LocalCloud cloud;
  private final LocalDeployment deployment;
  private final InvokedFunction submit;
  private final InvokedFunction poll;
  private int ticks;

  private LocalStack(
      LocalCloud cloud, LocalDeployment deployment, InvokedFunction submit, InvokedFunction poll) {
    this.cloud = cloud;
    this.deployment = deployment;
    this.submit = submit;
    this.poll = poll;
  }

  /**
   * Deploys on a running (empty) local cloud with these settings on top of the defaults; the caller
   * owns the cloud.
   */
  public static LocalStack deploy(LocalCloud cloud, Map<String, String> settings) throws Exception {
    LocalDeployment deployment = LocalDeployment.create(cloud);
    deployment.configure(Map.of("BATCHDROP_INBOX_PREFIX", PREFIX));
    deployment.configure(settings);
    InvokedFunction submit =
        InvokedFunction.start("io.batchdrop.submit.SubmitFunction", deployment.environment());
    InvokedFunction poll;
    try {
      poll = InvokedFunction.start("io.batchdrop.poll.PollFunction", deployment.environment());
    } catch (Exception e) {
      submit.close();
      throw e;
    }
    cloud.storageEmulator().addNotification(LocalDeployment.INBOX, submit.uri());
    return new LocalStack(cloud, deployment, submit, poll);
  }

  public LocalCloud cloud() {
    return cloud;
  }

  public Map<String, String> environment() {
    return deployment.environment();
  }

  /**
   * Uploads to the inbox, as {@code gsutil cp} would; the finalize event reaches submit by itself.
   */
  public Blob upload(String name, byte[] content) {
    return cloud
        .storage()
        .create(
            BlobInfo.newBuilder(LocalDeployment.INBOX, PREFIX + name)
                .setContentType("application/jsonl")
                .build(),
            content);
  }

  /** One Cloud Scheduler tick: POSTs poll and returns its JSON summary. */
  public String tick() throws Exception {
    ticks++;
    HttpResponse<String> response =
        poll.post(
            Map.of(
                "X-CloudScheduler-JobName",
                "batchdrop-poll",
                "X-CloudScheduler-ScheduleTime",
                "local-tick-" + ticks),
            "");
    if (response.statusCode() != 200) {
      throw new IllegalStateException(
          "poll answered " + response.statusCode() + ": " + response.body());
    }
    return response.body();
  }

  /** What the functions logged so far (structured JSON lines). */
  public String logs() throws Exception {
    return submit.output() + poll.output();
  }

  @Override
  public void close() throws Exception {
    cloud.storageEmulator().removeNotifications();
    try (submit;
        poll) {
      // both invoker JVMs are stopped, whatever happens
    }
  }
}
