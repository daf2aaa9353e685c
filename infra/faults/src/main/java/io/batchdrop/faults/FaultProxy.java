package io.batchdrop.faults;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP proxy in front of one emulator (Firestore and Pub/Sub: gRPC over HTTP/2; Cloud Storage:
 * JSON over HTTP/1.1): the functions' clients speak to it byte for byte. While faults are on, each
 * chunk a client sends is, with probability {@code resetRatio}, the end of its connection: both
 * sides are reset (RST, not FIN), so every call in flight on it fails as on a broken network and
 * the client reconnects. Off, it is a plain pipe.
 */
final class FaultProxy implements AutoCloseable {
  private final ServerSocket server;
  private final InetSocketAddress upstream;
  private final Random random;
  private final ExecutorService pumps;
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();
  private final AtomicInteger resets = new AtomicInteger();
  private final AtomicInteger connections = new AtomicInteger();
  private final java.util.concurrent.atomic.AtomicLong chunks =
      new java.util.concurrent.atomic.AtomicLong();
  private final Set<Socket> clients = ConcurrentHashMap.newKeySet();
  private volatile double resetRatio;

  private FaultProxy(ServerSocket server, InetSocketAddress upstream, String name, long seed) {
    this.server = server;
    this.pumps = Executors.newCachedThreadPool(daemon(name + "-proxy"));
    this.upstream = upstream;
    this.random = new Random(seed);
  }

  /**
   * Listens on a free port of 127.0.0.1 and forwards to {@code upstream} ("host:port", or a base
   * URI such as {@code http://host:port}); {@code name} names its threads.
   */
  static FaultProxy start(String name, String upstream, long seed) throws IOException {
    String hostPort = upstream.replaceFirst("^[a-z]+://", "").replaceFirst("/.*$", "");
    int colon = hostPort.lastIndexOf(':');
    InetSocketAddress target =
        new InetSocketAddress(
            hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1)));
    ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    FaultProxy proxy = new FaultProxy(server, target, name, seed);
    proxy.pumps.execute(proxy::accept);
    return proxy;
  }

  /** Where a function reaches the emulator instead, as {@code host:port}. */
  String hostAndPort() {
    return "127.0.0.1:" + server.getLocalPort();
  }

  void resetRatio(double ratio) {
    this.resetRatio = ratio;
  }

  /** Connections reset so far. */
  int resets() {
    return resets.get();
  }

  /** Client connections accepted so far (each reset one is followed by a new one). */
  int connections() {
    return connections.get();
  }

  private void accept() {
    while (!server.isClosed()) {
      try {
        Socket client = server.accept();
        connections.incrementAndGet();
        Socket backend = new Socket();
        backend.connect(upstream, 5_000);
        client.setTcpNoDelay(true);
        backend.setTcpNoDelay(true);
        open.add(client);
        open.add(backend);
        clients.add(client);
        pumps.execute(() -> pump(client, backend, true));
        pumps.execute(() -> pump(backend, client, false));
      } catch (IOException e) {
        if (server.isClosed()) {
          return;
        }
      }
    }
  }

  private void pump(Socket from, Socket to, boolean fromClient) {
    byte[] buffer = new byte[16 * 1024];
    try (InputStream in = from.getInputStream()) {
      OutputStream out = to.getOutputStream();
      int n;
      while ((n = in.read(buffer)) >= 0) {
        if (fromClient) {
          chunks.incrementAndGet();
        }
        if (fromClient && resetRatio > 0 && chance(resetRatio)) {
          resets.incrementAndGet();
          reset(from);
          reset(to);
          return;
        }
        out.write(buffer, 0, n);
        out.flush();
      }
    } catch (IOException e) {
      // The other side went away; its pump closes the rest.
    } finally {
      close(from);
      close(to);
    }
  }

  /** Chunks clients sent so far. */
  long chunks() {
    return chunks.get();
  }

  /**
   * Resets every client connection open right now (a network blip): whatever calls are in flight
   * fail at once. Returns how many were reset.
   */
  int resetAll() {
    int n = 0;
    for (Socket client : List.copyOf(clients)) {
      clients.remove(client);
      reset(client);
      n++;
    }
    resets.addAndGet(n);
    return n;
  }

  private synchronized boolean chance(double ratio) {
    return random.nextDouble() < ratio;
  }

  private void reset(Socket socket) {
    try {
      socket.setSoLinger(true, 0);
    } catch (IOException e) {
      // Closed already.
    }
    close(socket);
  }

  private void close(Socket socket) {
    open.remove(socket);
    clients.remove(socket);
    try {
      socket.close();
    } catch (IOException e) {
      // Closed already.
    }
  }

  @Override
  public void close() throws IOException {
    server.close();
    open.forEach(this::close);
    pumps.shutdownNow();
  }

  static java.util.concurrent.ThreadFactory daemon(String name) {
    return runnable -> {
      Thread thread = new Thread(runnable, name);
      thread.setDaemon(true);
      return thread;
    };
  }
}
