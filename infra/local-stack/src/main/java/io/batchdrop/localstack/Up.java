package io.batchdrop.localstack;

import io.batchdrop.testing.InvokedFunction;
import io.batchdrop.testing.LocalCloud;
import io.batchdrop.testing.LocalCloudConfig;
import io.batchdrop.testing.LocalDeployment;
import io.batchdrop.testing.PubSubBridge;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code ./batchdrop up}: the local stack as a long-running service. Starts the local cloud and
 * every function with its trigger, a scheduler calling poll, prints how to point people's tools at
 * it, and runs until Ctrl-C or SIGTERM, when it stops everything it started, by PID.
 */
public final class Up {
  /** The last line printed once everything is up (after the env file is written). */
  public static final String READY = "batchdrop up: ready";

  private final UpOptions options;
  private final PrintStream out;
  private final AtomicBoolean stopped = new AtomicBoolean();
  private final CountDownLatch done = new CountDownLatch(1);
  private volatile LocalCloud cloud;
  private volatile LocalStack stack;
  private volatile PollScheduler scheduler;
  private volatile GsutilFiles gsutil;
  // Only a file this up wrote is its own to remove: a second up refused because the first holds
  // the ports must not delete the first one's settings.
  private volatile boolean envFileWritten;

  Up(UpOptions options, PrintStream out) {
    this.options = options;
    this.out = out;
  }

  public static void main(String[] args) throws Exception {
    LibraryLogging.quiet();
    if (List.of(args).contains("--help") || List.of(args).contains("-h")) {
      System.out.print(UpOptions.USAGE);
      return;
    }
    UpOptions options;
    try {
      options = UpOptions.parse(List.of(args));
    } catch (UpOptions.UsageException e) {
      System.err.println("batchdrop: " + e.getMessage());
      System.err.print(UpOptions.USAGE);
      System.exit(2);
      return;
    }
    Up up = new Up(options, System.out);
    // Ctrl-C and SIGTERM both run shutdown hooks; the harness's own reaper hook stops, by PID, any
    // child this one has not reached yet.
    Runtime.getRuntime().addShutdownHook(new Thread(up::stop, "batchdrop-up-stop"));
    try {
      up.start();
    } catch (Exception e) {
      System.err.println("batchdrop: the local stack did not start: " + reason(e));
      System.exit(1);
    }
    up.done.await();
  }

  void start() throws Exception {
    out.println(
        "starting the local stack: Pub/Sub and Firestore emulators, storage and Vertex AI"
            + " emulators, "
            + LocalStack.FUNCTIONS.size()
            + " functions on the Functions Framework invoker…");
    LocalCloudConfig config = LocalCloudConfig.defaults().withPortBase(options.portBase());
    if (options.dir().isPresent()) {
      Files.createDirectories(options.dir().get());
      config = config.withStorageDirectory(options.dir().get());
    }
    cloud = LocalCloud.start(config);
    int firstFunctionPort =
        options.portBase() == 0 ? 0 : options.portBase() + LocalCloudConfig.PORTS;
    stack =
        LocalStack.deploy(
            cloud,
            Map.of(
                "BATCHDROP_BACKEND",
                options.backend(),
                "BATCHDROP_ALLOWED_BACKENDS",
                "vertex,gemini-api"),
            new LocalStack.Options(
                LocalStack.FUNCTIONS,
                firstFunctionPort,
                PubSubBridge.Settings.EVENTARC,
                this::printDelivery));
    scheduler = new PollScheduler(stack, options.pollEvery(), out);
    gsutil =
        GsutilFiles.write(
            cloud.storageEmulator(),
            cloud.projectId(),
            GsutilFiles.directoryFor(cloud.storageEmulator().port()));
    Map<String, String> settings = ClientSettings.of(stack.environment(), gsutil.settings());
    printInstructions(settings);
    if (options.envFile().isPresent()) {
      writeAtomically(options.envFile().get(), ClientSettings.exportLines(settings));
      envFileWritten = true;
      out.println("settings written to " + options.envFile().get() + " (source it)");
    }
    out.println(READY);
  }

  private void printDelivery(LocalFunction function, PubSubBridge.Delivery delivery) {
    String topic =
        function.trigger() instanceof LocalFunction.PubSubPublished pubsub ? pubsub.topic() : "";
    out.printf(
        "%-13s %s message %s, attempt %d → %s%n",
        "[" + function.name() + "]",
        topic,
        delivery.messageId(),
        delivery.attempt(),
        delivery.acknowledged()
            ? delivery.status() + ", acknowledged"
            : (delivery.status() == 0 ? delivery.error() : Integer.toString(delivery.status()))
                + (delivery.deadLettered()
                    ? ", dead-lettered to "
                        + LocalDeployment.DEAD_LETTER_TOPIC
                        + " (pull dead-letter-sub)"
                    : ", delivered again in " + delivery.retryIn().toSeconds() + " s"));
  }

  private void printInstructions(Map<String, String> settings) {
    String inbox = "gs://" + LocalDeployment.INBOX + "/" + LocalStack.PREFIX;
    out.println();
    out.println("inbox:   " + inbox + "   (work bucket gs://" + LocalDeployment.WORK + ")");
    out.println(
        "storage: "
            + settings.get(LocalCloud.STORAGE_EMULATOR_HOST)
            + options.dir().map(d -> ", files kept in " + d).orElse(", files in memory"));
    out.println(
        "gsutil:  "
            + cloud.storageEmulator().httpsBaseUri().orElseThrow()
            + " (HTTPS, certificate made at start), boto config "
            + gsutil.botoConfig());
    for (Map.Entry<LocalFunction, InvokedFunction> function : stack.functions().entrySet()) {
      out.printf(
          "%-8s %s on %s, logs in %s%n",
          function.getKey().name() + ":",
          function.getKey().entryPoint(),
          function.getValue().uri(),
          function.getValue().logFile());
    }
    out.println("poll:    called every " + options.pollEvery().toSeconds() + " s");
    out.println();
    out.println("In another terminal, paste:");
    out.print(ClientSettings.exportLines(settings).indent(2));
    out.println();
    out.println(
        "Then drop a file named *.jsonl (submit ignores any other) into the inbox with any of:");
    out.println("  gcloud storage cp my.jsonl " + inbox);
    out.println(
        "  gsutil cp my.jsonl " + inbox + "   # native gsutil, over HTTPS: BOTO_CONFIG does it");
    out.println(
        "  node -e \"new (require('@google-cloud/storage').Storage)()"
            + ".bucket('"
            + LocalDeployment.INBOX
            + "').upload('my.jsonl',{destination:'"
            + LocalStack.PREFIX
            + "my.jsonl'})\"   # STORAGE_EMULATOR_HOST does it");
    out.println("  ./batchdrop validate my.jsonl   # first, to see what submit will say");
    out.println();
    out.println("Watch one result message per row (subscription results-sub on topic results):");
    out.println("  gcloud pubsub subscriptions pull results-sub --auto-ack --limit=100");
    out.println("and the run's lifecycle (events-sub on events, completions-sub on completions):");
    out.println("  gcloud pubsub subscriptions pull events-sub --auto-ack --limit=100");
    out.println();
  }

  private static void writeAtomically(Path file, String text) throws IOException {
    Path absolute = file.toAbsolutePath();
    if (absolute.getParent() != null) {
      Files.createDirectories(absolute.getParent());
    }
    // A script waiting for the file never reads half of it.
    Path partial = absolute.resolveSibling(absolute.getFileName() + ".partial");
    Files.writeString(partial, text);
    Files.move(
        partial, absolute, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  /**
   * Why the start failed, with the causes a wrapper's message leaves out (the port in use, the
   * emulator's own words).
   */
  static String reason(Throwable failure) {
    StringBuilder reason = new StringBuilder(String.valueOf(failure.getMessage()));
    for (Throwable cause = failure.getCause();
        cause != null && cause != cause.getCause();
        cause = cause.getCause()) {
      if (cause.getMessage() != null && !reason.toString().contains(cause.getMessage())) {
        reason.append(": ").append(cause.getMessage());
      }
    }
    return reason.toString();
  }

  /** Stops everything that was started, in reverse order; safe to call more than once. */
  void stop() {
    if (!stopped.compareAndSet(false, true)) {
      return;
    }
    out.println("batchdrop up: stopping…");
    try {
      if (scheduler != null) {
        scheduler.close();
      }
      if (stack != null) {
        stack.close();
      }
    } catch (Exception e) {
      System.err.println("batchdrop: stopping the functions failed: " + e);
    } finally {
      if (cloud != null) {
        cloud.close();
      }
      if (gsutil != null) {
        try {
          gsutil.close();
        } catch (IOException e) {
          System.err.println("batchdrop: could not remove gsutil's settings: " + e);
        }
      }
      options
          .envFile()
          .filter(file -> envFileWritten)
          .ifPresent(
              file -> {
                try {
                  Files.deleteIfExists(file);
                } catch (IOException e) {
                  System.err.println("batchdrop: could not remove " + file + ": " + e);
                }
              });
      out.println("batchdrop up: stopped");
      done.countDown();
    }
  }
}
