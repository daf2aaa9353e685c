package io.batchdrop.emulator.secretmanager;

import com.google.protobuf.ByteString;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * An in-process Secret Manager on plaintext gRPC: {@code SecretManagerService}'s
 * AccessSecretVersion and AddSecretVersion, with the real service's names, errors (NOT_FOUND for an
 * unknown secret or version, FAILED_PRECONDITION for a disabled one, INVALID_ARGUMENT for a
 * malformed name or a payload over 64 KiB) and {@code data_crc32c}. Point the official {@code
 * SecretManagerServiceClient} at {@link #endpoint()} with a plaintext channel and no credentials.
 */
public final class SecretManagerEmulator implements AutoCloseable {
  private final Server server;
  private final String host;
  private final SecretStore store;
  private final SecretManagerService service;

  private SecretManagerEmulator(
      Server server, String host, SecretStore store, SecretManagerService service) {
    this.server = server;
    this.host = host;
    this.store = store;
    this.service = service;
  }

  /** Listens on {@code host}:{@code port} ({@code 0} for a free port). */
  public static SecretManagerEmulator start(String host, int port) throws IOException {
    SecretStore store = new SecretStore();
    SecretManagerService service = new SecretManagerService(store);
    Server server =
        NettyServerBuilder.forAddress(new InetSocketAddress(host, port))
            .addService(service.definition())
            .build()
            .start();
    return new SecretManagerEmulator(server, host, store, service);
  }

  /** {@code host:port} for a plaintext gRPC channel. */
  public String endpoint() {
    return host + ":" + server.getPort();
  }

  /**
   * Creates the secret if needed and adds a version holding {@code data}; returns the version's
   * resource name, {@code projects/P/secrets/S/versions/N}.
   *
   * @throws io.grpc.StatusRuntimeException INVALID_ARGUMENT for a payload over 64 KiB
   */
  public String addVersion(String project, String secretId, byte[] data) {
    SecretNames.Secret secret = SecretNames.secret("projects/" + project + "/secrets/" + secretId);
    try {
      store.createSecret(secret);
    } catch (io.grpc.StatusRuntimeException alreadyThere) {
      // A new version of an existing secret.
    }
    return store.add(secret, ByteString.copyFrom(data));
  }

  /** Creates a secret with no versions (accessing it is NOT_FOUND, as on the real service). */
  public void createSecret(String project, String secretId) {
    store.createSecret(SecretNames.secret("projects/" + project + "/secrets/" + secretId));
  }

  /** Disables a version: accessing it is then FAILED_PRECONDITION. */
  public void disable(String versionName) {
    store.disable(SecretNames.version(versionName));
  }

  /** AccessSecretVersion calls so far, answered or not. */
  public int accessCount() {
    return service.accessCount();
  }

  /** The next {@code count} access answers carry data that does not match their checksum. */
  public void corruptNextAnswers(int count) {
    service.corruptNextAnswers(count);
  }

  /** Forgets every secret, count and knob. */
  public void reset() {
    store.clear();
    service.reset();
  }

  @Override
  public void close() {
    server.shutdownNow();
    try {
      server.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
