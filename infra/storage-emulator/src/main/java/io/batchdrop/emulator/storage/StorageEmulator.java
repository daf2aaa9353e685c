package io.batchdrop.emulator.storage;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
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
  private final Optional<HttpsServer> httpsServer;
  private final Optional<Path> certificateFile;
  private final ExecutorService requestThreads;
  private final URI baseUri;
  private final BucketStore buckets;
  private final BlobStore blobs;
  private final UploadApi uploads;
  private final FinalizeNotifier notifier;

  private StorageEmulator(
      HttpServer server,
      Optional<HttpsServer> httpsServer,
      Optional<Path> certificateFile,
      ExecutorService requestThreads,
      URI baseUri,
      BucketStore buckets,
      BlobStore blobs,
      UploadApi uploads,
      FinalizeNotifier notifier) {
    this.server = server;
    this.httpsServer = httpsServer;
    this.certificateFile = certificateFile;
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
        new FinalizeNotifier(objectJson, mapper, config.notifications(), RetryTimer.system());
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
    Optional<HttpsServer> httpsServer;
    try {
      httpsServer = config.https().map(https -> startHttps(config.host(), https));
    } catch (RuntimeException e) {
      server.stop(0);
      requestThreads.shutdownNow();
      notifier.close();
      blobs.close();
      throw e;
    }
    server.start();
    httpsServer.ifPresent(
        https -> {
          https.createContext("/", router);
          https.setExecutor(requestThreads);
          https.start();
        });
    return new StorageEmulator(
        server,
        httpsServer,
        config.https().map(StorageEmulatorConfig.Https::certificateFile),
        requestThreads,
        baseUri,
        buckets,
        blobs,
        uploads,
        notifier);
  }

  /**
   * Binds the HTTPS listener after writing the certificate its clients trust; the key stays in
   * memory, so a new one is made at every start and the file is rewritten.
   */
  private static HttpsServer startHttps(String host, StorageEmulatorConfig.Https https) {
    SelfSignedCertificate identity =
        SelfSignedCertificate.generate(List.of(host), Clock.systemUTC().instant());
    try {
      writeAtomically(https.certificateFile(), identity.pem());
      HttpsServer server = HttpsServer.create(new InetSocketAddress(host, https.port()), 128);
      server.setHttpsConfigurator(new HttpsConfigurator(identity.serverContext()));
      return server;
    } catch (IOException e) {
      throw new UncheckedIOException(
          "could not start the HTTPS listener on port " + https.port(), e);
    }
  }

  private static void writeAtomically(Path file, String text) throws IOException {
    Path absolute = file.toAbsolutePath();
    Files.createDirectories(absolute.getParent());
    Path partial = absolute.resolveSibling(absolute.getFileName() + ".partial");
    Files.writeString(partial, text);
    Files.move(
        partial, absolute, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  public int port() {
    return server.getAddress().getPort();
  }

  /** {@code http://127.0.0.1:PORT}: give this to {@code StorageOptions.http().setHost(...)}. */
  public URI baseUri() {
    return baseUri;
  }

  /** {@code https://127.0.0.1:PORT} when an HTTPS listener was asked for. */
  public Optional<URI> httpsBaseUri() {
    return httpsServer.map(
        https -> URI.create("https://" + baseUri.getHost() + ":" + https.getAddress().getPort()));
  }

  /** The PEM certificate HTTPS clients should trust, when an HTTPS listener was asked for. */
  public Optional<Path> certificateFile() {
    return certificateFile;
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
    httpsServer.ifPresent(https -> https.stop(0));
    requestThreads.shutdownNow();
    notifier.close();
    uploads.clear();
    blobs.close();
  }

  /**
   * Standalone: {@code --port N} (default 9023), {@code --dir PATH} (default: in memory), {@code
   * --notify BUCKET=URL} (repeatable), {@code --host H} (default 127.0.0.1), {@code --https-port N
   * --ca-file PATH} (also HTTPS, for gsutil). Prints one line per listener once it listens and runs
   * until killed.
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
      emulator
          .httpsBaseUri()
          .ifPresent(
              https ->
                  System.out.println(
                      "storage emulator listening on "
                          + https
                          + ", certificate in "
                          + emulator.certificateFile().orElseThrow()));
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
