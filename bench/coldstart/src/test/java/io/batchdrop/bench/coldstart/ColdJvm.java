package io.batchdrop.bench.coldstart;

import io.batchdrop.testing.InvokedFunction;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One function instance started cold: a fresh JVM running the Functions Framework invoker, either
 * the way Cloud Run's Java buildpack starts it (the invoker's own jar, the function's jar as {@code
 * --classpath}, loaded by the invoker's own class loader) or the way a self-built container image
 * could (invoker and function jar both on the application class path, which the JDK's archives of
 * loaded classes fully cover). The clock starts just before the process does and stops when the
 * first request is answered.
 */
final class ColdJvm implements AutoCloseable {
  /** A request: a binary-mode CloudEvent's ce-* headers and data, or a plain HTTP call. */
  record Request(Map<String, String> headers, String body) {}

  private static final Duration START_DEADLINE = Duration.ofSeconds(90);
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private final Process process;
  private final long startedNanos;
  private final URI uri;
  private final Path log;

  private ColdJvm(Process process, long startedNanos, URI uri, Path log) {
    this.process = process;
    this.startedNanos = startedNanos;
    this.uri = uri;
    this.log = log;
  }

  /** How the function's jar reaches the JVM. */
  enum Launch {
    /** {@code java -jar invoker.jar --classpath function.jar}: a source deploy's buildpack. */
    BUILDPACK,
    /** {@code java -cp invoker.jar:function.jar Invoker}: a container image of our own. */
    APPLICATION_CLASS_PATH
  }

  private static final String INVOKER_MAIN = "com.google.cloud.functions.invoker.runner.Invoker";

  static ColdJvm start(
      Path javaHome,
      Launch launch,
      Path functionJar,
      String target,
      Map<String, String> environment,
      List<String> jvmOptions)
      throws IOException {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    Path log = Files.createTempFile("coldstart-", ".log");
    List<String> command = new ArrayList<>();
    command.add(javaHome.resolve("bin").resolve("java").toString());
    command.addAll(jvmOptions);
    String invoker = InvokedFunction.invokerJar().toString();
    command.addAll(
        switch (launch) {
          case BUILDPACK -> List.of("-jar", invoker, "--classpath", functionJar.toString());
          case APPLICATION_CLASS_PATH ->
              List.of("-cp", invoker + java.io.File.pathSeparator + functionJar, INVOKER_MAIN);
        });
    command.addAll(List.of("--target", target, "--port", Integer.toString(port)));
    ProcessBuilder builder =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    builder.environment().putAll(environment);
    long started = System.nanoTime();
    Process process = builder.start();
    return new ColdJvm(process, started, URI.create("http://127.0.0.1:" + port + "/"), log);
  }

  /**
   * Waits until the port accepts a connection (the invoker has loaded and built the function and
   * started Jetty), then sends the first request; both times count from JVM start.
   */
  Answer firstAnswer(Request request) throws Exception {
    Duration listening = awaitListening();
    HttpResponse<String> response = send(request);
    Duration answered = Duration.ofNanos(System.nanoTime() - startedNanos);
    return new Answer(response, listening, answered, cpu());
  }

  /**
   * CPU time the JVM has used so far, all its threads: on a busy machine far steadier than the wall
   * clock, and on an instance with one vCPU or less what the wall clock will come to.
   */
  Duration cpu() {
    return process
        .info()
        .totalCpuDuration()
        .orElseThrow(() -> new IllegalStateException("no CPU time for process " + process.pid()));
  }

  /** Time from JVM start until the port accepts a connection. */
  Duration awaitListening() throws Exception {
    long deadline = startedNanos + START_DEADLINE.toNanos();
    while (!accepts()) {
      if (!process.isAlive()) {
        throw new IllegalStateException("the invoker exited:\n" + output());
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "not listening within " + START_DEADLINE + " of JVM start:\n" + output());
      }
      // Polling the port: the invoker tells nobody when it is ready.
      process.waitFor(2, TimeUnit.MILLISECONDS);
    }
    return Duration.ofNanos(System.nanoTime() - startedNanos);
  }

  private boolean accepts() {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", uri.getPort()), 1000);
      return true;
    } catch (IOException refused) {
      return false;
    }
  }

  /**
   * The answer, when the port first accepted, and when the answer came, since JVM start; the CPU
   * time the JVM had used by then.
   */
  record Answer(
      HttpResponse<String> response, Duration listening, Duration sinceJvmStart, Duration cpu) {}

  HttpResponse<String> send(Request request) throws Exception {
    HttpRequest.Builder http =
        HttpRequest.newBuilder(uri)
            .timeout(Duration.ofSeconds(60))
            .header("Content-Type", "application/json")
            .POST(
                request.body().isEmpty()
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(request.body()));
    request.headers().forEach(http::header);
    return HTTP.send(http.build(), HttpResponse.BodyHandlers.ofString());
  }

  String output() throws IOException {
    return Files.readString(log);
  }

  /**
   * SIGTERM, not SIGKILL: the JVM exits normally, so a run with {@code -XX:ArchiveClassesAtExit} or
   * {@code -XX:AOTCacheOutput} writes its archive.
   */
  @Override
  public void close() throws Exception {
    process.destroy();
    // A JDK 25 training run assembles its AOT cache at exit, in a second JVM: seconds, not minutes.
    if (!process.waitFor(180, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor();
    }
    Files.deleteIfExists(log);
  }
}
