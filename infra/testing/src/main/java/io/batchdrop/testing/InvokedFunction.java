package io.batchdrop.testing;

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
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A function served by the real Functions Framework invoker in its own JVM, with exactly the
 * environment a deployment gives it: the production no-arg constructor reads it. The function's
 * module must have {@code java-function-invoker} on its test classpath.
 *
 * <pre>{@code
 * try (InvokedFunction submit = InvokedFunction.start("io.batchdrop.submit.SubmitFunction",
 *     environment, List.of("-Xmx512m"))) {
 *   HttpResponse<String> response = submit.post(Map.of("ce-id", "1", ...), body);
 * }
 * }</pre>
 */
public final class InvokedFunction implements AutoCloseable {
  private final Process process;
  private final int port;
  private final Path log;
  private final HttpClient http = HttpClient.newHttpClient();

  private InvokedFunction(Process process, int port, Path log) {
    this.process = process;
    this.port = port;
    this.log = log;
  }

  public static InvokedFunction start(String target, Map<String, String> environment)
      throws Exception {
    return start(target, environment, List.of());
  }

  /**
   * Starts the invoker with extra JVM options, e.g. a heap limit, and waits until it listens. The
   * port is picked free and bound by the child a moment later; if something took it meanwhile, the
   * invoker is started again on another port.
   */
  public static InvokedFunction start(
      String target, Map<String, String> environment, List<String> jvmOptions) throws Exception {
    return start(target, environment, jvmOptions, 0);
  }

  /**
   * As above on a fixed {@code port} (0 picks a free one); a fixed port that is taken fails the
   * start with the invoker's own message.
   */
  public static InvokedFunction start(
      String target, Map<String, String> environment, List<String> jvmOptions, int port)
      throws Exception {
    String jar = System.getProperty(FUNCTION_JAR_PROPERTY, "");
    return start(
        target,
        environment,
        jvmOptions,
        jar.isBlank() ? Optional.empty() : Optional.of(Path.of(jar)),
        port);
  }

  /**
   * {@code -Dbatchdrop.function.jar=PATH}: functions started by this JVM run from that shaded jar,
   * as a deployment runs them (the function modules' invoker tests run so, after {@code package}).
   */
  public static final String FUNCTION_JAR_PROPERTY = "batchdrop.function.jar";

  /**
   * Starts the function from this shaded jar (or, when empty, from the test's class path), e.g. a
   * benchmark's own function jar, on a free port.
   */
  public static InvokedFunction start(
      String target,
      Map<String, String> environment,
      List<String> jvmOptions,
      Optional<Path> functionJar)
      throws Exception {
    return start(target, environment, jvmOptions, functionJar, 0);
  }

  private static InvokedFunction start(
      String target,
      Map<String, String> environment,
      List<String> jvmOptions,
      Optional<Path> functionJar,
      int port)
      throws Exception {
    if (port != 0) {
      requireFree(port, target);
    }
    for (int attempt = 1; ; attempt++) {
      InvokedFunction function =
          launch(target, environment, jvmOptions, functionJar, port == 0 ? freePort() : port);
      try {
        function.awaitListening(Duration.ofSeconds(60));
        return function;
      } catch (IllegalStateException e) {
        function.close();
        if (port != 0 || attempt == 3 || !e.getMessage().contains("Address already in use")) {
          throw e;
        }
      }
    }
  }

  /** Else the readiness probe below would connect to whatever holds the port and call it ready. */
  private static void requireFree(int port, String target) {
    try (ServerSocket socket = new ServerSocket(port)) {
      socket.setReuseAddress(true);
    } catch (IOException e) {
      throw new IllegalStateException(
          "port " + port + " is in use; expected it free to serve " + target, e);
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private static InvokedFunction launch(
      String target,
      Map<String, String> environment,
      List<String> jvmOptions,
      Optional<Path> functionJar,
      int port)
      throws IOException {
    Path log = Files.createTempFile("invoker-", ".log");
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions);
    command.addAll(invokerAndFunction(functionJar));
    command.addAll(List.of("--target", target, "--port", Integer.toString(port)));
    ProcessBuilder builder =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    builder.environment().putAll(environment);
    Process process = builder.start();
    // Stopped with the emulators if the JVM exits without closing it.
    ProcessReaper.register(process.toHandle());
    return new InvokedFunction(process, port, log);
  }

  /**
   * The invoker and where it finds the function. With a function jar, the way Cloud Run's Java
   * buildpack runs it: the invoker's own jar, the function's shaded jar as {@code --classpath},
   * loaded by the invoker's function class loader that sees nothing else but the Functions
   * Framework API; so a class missing from the shaded jar fails here as it would in production.
   * Without, the test's own class path (target/classes and every dependency).
   */
  static List<String> invokerAndFunction(Optional<Path> functionJar) {
    if (functionJar.isEmpty()) {
      return List.of(
          "-cp",
          System.getProperty("java.class.path"),
          "com.google.cloud.functions.invoker.runner.Invoker");
    }
    if (!Files.isRegularFile(functionJar.get())) {
      throw new IllegalStateException(
          "expected the function's shaded jar at " + functionJar.get() + "; run mvn package");
    }
    return List.of("-jar", invokerJar().toString(), "--classpath", functionJar.get().toString());
  }

  /** The self-contained java-function-invoker jar on the test class path. */
  public static Path invokerJar() {
    for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
      Path path = Path.of(entry);
      if (path.getFileName().toString().startsWith("java-function-invoker-")
          && entry.endsWith(".jar")) {
        return path;
      }
    }
    throw new IllegalStateException(
        "expected java-function-invoker on the test class path (a test dependency of the"
            + " function's module)");
  }

  private void awaitListening(Duration timeout) throws Exception {
    Instant deadline = Instant.now().plus(timeout);
    while (Instant.now().isBefore(deadline)) {
      if (!process.isAlive()) {
        throw new IllegalStateException("invoker exited:\n" + Files.readString(log));
      }
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
        return;
      } catch (IOException notYet) {
        process.waitFor(100, java.util.concurrent.TimeUnit.MILLISECONDS);
      }
    }
    throw new IllegalStateException(
        "invoker not listening after " + timeout + ":\n" + Files.readString(log));
  }

  /** How long a call waits for the answer unless it says otherwise. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(90);

  /** POSTs a JSON body with these headers: for a binary-mode CloudEvent, its ce-* attributes. */
  public HttpResponse<String> post(Map<String, String> headers, String body) throws Exception {
    return send("POST", headers, body);
  }

  /**
   * As above, waiting at most {@code timeout} for the answer (e.g. a Scheduler job's attempt
   * deadline); then {@link java.net.http.HttpTimeoutException}, the function running on.
   */
  public HttpResponse<String> post(Map<String, String> headers, String body, Duration timeout)
      throws Exception {
    return send("POST", headers, body, timeout);
  }

  /** POSTs a CloudEvent as Eventarc does. */
  public HttpResponse<String> post(EventarcDelivery event) throws Exception {
    return post(event.headers(), event.body());
  }

  /** Sends any method, e.g. a GET that a POST-only function must refuse. */
  public HttpResponse<String> send(String method, Map<String, String> headers, String body)
      throws Exception {
    return send(method, headers, body, DEFAULT_TIMEOUT);
  }

  private HttpResponse<String> send(
      String method, Map<String, String> headers, String body, Duration timeout) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/"))
            .timeout(timeout)
            .header("Content-Type", "application/json")
            .method(
                method,
                body.isEmpty()
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    headers.forEach(request::setHeader); // a Content-Type of theirs replaces the default
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  public HttpResponse<String> post(String body) throws Exception {
    return post(Map.of(), body);
  }

  /** Where the function listens, e.g. for a storage notification target. */
  public URI uri() {
    return URI.create("http://127.0.0.1:" + port + "/");
  }

  /** The file the function's output goes to while it runs (deleted by {@link #close()}). */
  public Path logFile() {
    return log;
  }

  /** Everything the function printed so far: its structured logs. */
  public String output() throws IOException {
    return Files.readString(log);
  }

  public Process process() {
    return process;
  }

  @Override
  public void close() throws Exception {
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
    process.waitFor();
    ProcessReaper.unregister(process.toHandle());
    Files.deleteIfExists(log);
  }
}
