package io.batchdrop.emulator.gemini;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A Gemini Developer API emulator ({@code generativelanguage.googleapis.com}, v1beta) over plain
 * HTTP: the Files API with resumable uploads, and batch mode. For the official SDK, {@code
 * Client.builder().apiKey(KEY).httpOptions(HttpOptions.builder().baseUrl(baseUri()))}.
 */
public final class GeminiEmulator implements AutoCloseable {

  private static final String NODELAY = "sun.net.httpserver.nodelay";

  static {
    // Without it every response waits for the client's delayed ACK (~40 ms); read once per JVM.
    if (System.getProperty(NODELAY) == null) {
      System.setProperty(NODELAY, "true");
    }
  }

  private final HttpServer server;
  private final ExecutorService threads;
  private final URI baseUri;
  private final GeminiKnobs knobs;
  private final FileStore files;
  private final BatchStore batches;

  private GeminiEmulator(
      HttpServer server,
      ExecutorService threads,
      URI baseUri,
      GeminiKnobs knobs,
      FileStore files,
      BatchStore batches) {
    this.server = server;
    this.threads = threads;
    this.baseUri = baseUri;
    this.knobs = knobs;
    this.files = files;
    this.batches = batches;
  }

  public static GeminiEmulator start(GeminiEmulatorConfig config) throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress(config.host(), config.port()), 128);
    String host = config.host().contains(":") ? "[" + config.host() + "]" : config.host();
    URI baseUri = URI.create("http://" + host + ":" + server.getAddress().getPort());
    ObjectMapper mapper = new ObjectMapper();
    GeminiKnobs knobs =
        new GeminiKnobs(config.apiKey(), config.pendingDelay(), config.runningDelay());
    FileStore files = new FileStore(config.clock(), knobs, config.maxFileBytes());
    BatchStore batches = new BatchStore(config.clock(), files, new BatchRunner(mapper));
    ResourceJson json = new ResourceJson(mapper, baseUri);
    Router router =
        new Router(
            knobs,
            new FilesApi(files, json, mapper, baseUri, knobs),
            new BatchesApi(batches, knobs, json, mapper),
            mapper);
    ExecutorService threads =
        Executors.newCachedThreadPool(
            runnable -> {
              Thread thread = new Thread(runnable, "gemini-emulator-http");
              thread.setDaemon(true);
              return thread;
            });
    server.createContext("/", router);
    server.setExecutor(threads);
    server.start();
    return new GeminiEmulator(server, threads, baseUri, knobs, files, batches);
  }

  /** {@code http://127.0.0.1:PORT}: the SDK's {@code HttpOptions.baseUrl}. */
  public URI baseUri() {
    return baseUri;
  }

  public GeminiKnobs knobs() {
    return knobs;
  }

  /**
   * Waits until at least {@code count} uploaded files are {@code PROCESSING} ({@link
   * GeminiKnobs#processNextUploads}): a create is then between its upload and its batch.
   *
   * @throws IllegalStateException when the timeout passes first
   */
  public void awaitProcessing(int count, Duration timeout) throws InterruptedException {
    if (!files.awaitProcessing(count, timeout)) {
      throw new IllegalStateException("fewer than " + count + " files PROCESSING after " + timeout);
    }
  }

  /**
   * Ends the processing of every file still {@code PROCESSING}: the next get answers {@code
   * ACTIVE}, as the real API's processing ends in its own time.
   */
  public void finishProcessing() {
    files.finishProcessing();
  }

  /**
   * Batches created since start or {@link #reset()}, deleted ones included: a batch deleted after
   * it ran was still run (and billed) on the real API.
   */
  public int batchesCreated() {
    return batches.created();
  }

  /** No files, uploads or batches; default knobs. */
  public void reset() {
    knobs.reset();
    batches.clear();
    files.clear();
  }

  @Override
  public void close() {
    server.stop(0);
    threads.shutdownNow();
  }

  /**
   * Standalone: {@code --port N} (default 9025), {@code --api-key KEY} (default {@code
   * GEMINI_API_KEY} from the environment, else {@code local-key}). Prints one line once it listens
   * and runs until killed.
   */
  public static void main(String[] args) {
    int port = 9025;
    String key = System.getenv().getOrDefault("GEMINI_API_KEY", "local-key");
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--port" -> port = Integer.parseInt(value(args, ++i));
        case "--api-key" -> key = value(args, ++i);
        default -> {
          System.err.println("gemini emulator: unknown option " + args[i]);
          System.err.println("usage: GeminiEmulator [--port N] [--api-key KEY]");
          System.exit(2);
        }
      }
    }
    try {
      GeminiEmulator emulator = start(GeminiEmulatorConfig.immediate(key).withPort(port));
      Runtime.getRuntime().addShutdownHook(new Thread(emulator::close, "gemini-emulator-stop"));
      System.out.println("gemini emulator listening on " + emulator.baseUri());
      System.out.flush();
      new CountDownLatch(1).await();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static String value(String[] args, int i) {
    if (i >= args.length) {
      System.err.println("gemini emulator: " + args[i - 1] + " needs a value");
      System.exit(2);
    }
    return args[i];
  }
}
