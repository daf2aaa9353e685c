package io.batchdrop.emulator.storage;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Clock;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A Cloud Storage emulator speaking the JSON API v1 over HTTP, for the official
 * google-cloud-storage client built with {@code StorageOptions.http().setHost(baseUri())}. Objects
 * live in memory or as real files in a directory; finalized objects in configured buckets are
 * announced as Eventarc-style CloudEvents.
 */
public final class StorageEmulator implements AutoCloseable {
  private static final String NODELAY = "sun.net.httpserver.nodelay";

  static {
    // The JDK server writes headers and body as separate packets; with Nagle's algorithm on,
    // every response then waits for the client's delayed ACK (~40 ms). The JDK reads this once,
    // when the first HttpServer of the JVM starts, so it is set as early as possible.
    if (System.getProperty(NODELAY) == null) {
      System.setProperty(NODELAY, "true");
    }
  }

  private final HttpServer server;
  private final ExecutorService requestThreads;
  private final URI baseUri;
  private final BucketStore buckets;
  private final BlobStore blobs;
  private final UploadApi uploads;
  private final FinalizeNotifier notifier;

  private StorageEmulator(
      HttpServer server,
      ExecutorService requestThreads,
      URI baseUri,
      BucketStore buckets,
      BlobStore blobs,
      UploadApi uploads,
      FinalizeNotifier notifier) {
    this.server = server;
    this.requestThreads = requestThreads;
    this.baseUri = baseUri;
    this.buckets = buckets;
    this.blobs = blobs;
    this.uploads = uploads;
    this.notifier = notifier;
  }

  public static StorageEmulator start(StorageEmulatorConfig config) throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress(config.host(), config.port()), 128);
    URI baseUri =
        URI.create("http://" + hostForUri(config.host()) + ":" + server.getAddress().getPort());
    ObjectMapper mapper = new ObjectMapper();
    ObjectJson objectJson = new ObjectJson(mapper, baseUri);
    GenerationClock clock = new GenerationClock(Clock.systemUTC());
    BlobStore blobs =
        config.directory().isPresent()
            ? new DirectoryBlobStore(config.directory().get(), mapper, objectJson, clock)
            : new MemoryBlobStore();
    BucketStore buckets = new BucketStore(blobs);
    buckets.restore(blobs.load());
    FinalizeNotifier notifier =
        new FinalizeNotifier(
            objectJson, mapper, config.notificationBaseDelay(), config.notificationMaxAttempts());
    ObjectRepository objects = new ObjectRepository(buckets, blobs, clock, notifier::finalized);
    ResponseWriter responses = new ResponseWriter(mapper);
    UploadApi uploads =
        new UploadApi(objects, buckets, blobs, objectJson, mapper, responses, baseUri);
    Router router =
        new Router(
            new BucketApi(buckets, new BucketJson(mapper, baseUri), mapper, responses, clock),
            new ObjectApi(objects, buckets, blobs, objectJson, mapper, responses),
            uploads,
            new DownloadApi(objects, responses),
            responses);
    ExecutorService requestThreads =
        Executors.newCachedThreadPool(DaemonThreads.named("storage-emulator-http"));
    server.createContext("/", router);
    server.setExecutor(requestThreads);
    server.start();
    return new StorageEmulator(server, requestThreads, baseUri, buckets, blobs, uploads, notifier);
  }

  public int port() {
    return server.getAddress().getPort();
  }

  /** {@code http://127.0.0.1:PORT}: give this to {@code StorageOptions.http().setHost(...)}. */
  public URI baseUri() {
    return baseUri;
  }

  /** Every object finalized in {@code bucket} from now on is also POSTed to {@code target}. */
  public void addNotification(String bucket, URI target) {
    notifier.add(bucket, target);
  }

  public void removeNotifications() {
    notifier.clear();
  }

  /** Deletes every bucket, object, unfinished upload and notification target. */
  public void reset() {
    notifier.clear();
    uploads.clear();
    buckets.clear();
  }

  @Override
  public void close() {
    server.stop(0);
    requestThreads.shutdownNow();
    notifier.close();
    uploads.clear();
    blobs.close();
  }

  /**
   * Standalone: {@code --port N} (default 9023), {@code --dir PATH} (default: in memory), {@code
   * --notify BUCKET=URL} (repeatable), {@code --host H} (default 127.0.0.1). Prints one line once
   * it listens and runs until killed.
   */
  public static void main(String[] args) {
    StandaloneOptions options;
    try {
      options = StandaloneOptions.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("storage emulator: " + e.getMessage());
      System.err.println(StandaloneOptions.USAGE);
      System.exit(2);
      return;
    }
    try {
      StorageEmulator emulator = start(options.config());
      options.notifications().forEach(n -> emulator.addNotification(n.bucket(), n.target()));
      Runtime.getRuntime()
          .addShutdownHook(new Thread(emulator::close, "storage-emulator-shutdown"));
      System.out.println("storage emulator listening on " + emulator.baseUri());
      System.out.flush();
      new CountDownLatch(1).await();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static String hostForUri(String host) {
    if (host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]")) {
      return "127.0.0.1"; // bound to every interface: links without a Host header use loopback
    }
    return host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
  }
}
