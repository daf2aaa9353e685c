package io.batchdrop.poll;

import io.batchdrop.cloud.CloudClients;
import io.batchdrop.cloud.Lazy;
import io.batchdrop.cloud.config.BatchdropConfig;
import java.time.Clock;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

/**
 * What one instance of either poll entry point holds: the clients, the pool of Vertex gets
 * (concurrent calls on one instance share its bound) and the poller, each built on first use.
 */
final class PollInstance implements AutoCloseable {
  private final CloudClients clients;
  private final ExecutorService pool;
  private final Lazy<Poller> poller;

  PollInstance(BatchdropConfig config) {
    this.clients = new CloudClients(config);
    this.pool = Executors.newFixedThreadPool(config.poll().concurrency(), daemonThreads());
    this.poller = Lazy.of(() -> new Poller(clients, pool, Clock.systemUTC()));
  }

  Poller poller() {
    return poller.get();
  }

  private static ThreadFactory daemonThreads() {
    return runnable -> {
      Thread thread = new Thread(runnable, "poll-worker");
      thread.setDaemon(true);
      return thread;
    };
  }

  @Override
  public void close() throws Exception {
    pool.shutdown();
    pool.awaitTermination(30, TimeUnit.SECONDS);
    clients.close();
  }
}
