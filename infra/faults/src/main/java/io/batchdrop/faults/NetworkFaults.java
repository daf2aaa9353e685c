package io.batchdrop.faults;

import io.batchdrop.testing.LocalCloud;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The network between the functions and the services they call: a {@link FaultProxy} in front of
 * each of the Firestore, Pub/Sub and Cloud Storage emulators, and the functions' settings pointed
 * at the proxies. The fault run's own clients (its checks, the bridges, the notifier) keep the
 * direct addresses, so only what the functions do meets the faults.
 *
 * <p>Reset ratios are per chunk a client sends. Cloud Storage's is lower because an upload sends
 * many chunks on one connection: at Firestore's ratio nearly every staged shard would fail, and a
 * run that never gets past staging tests nothing after it.
 */
final class NetworkFaults implements AutoCloseable {
  /**
   * A service behind a proxy: its name in the summary, its setting, the ratio while faults are on.
   */
  private record Link(String service, String setting, double ratio, FaultProxy proxy) {}

  private final List<Link> links;
  private final Map<String, Integer> resetsBefore = new LinkedHashMap<>();

  private NetworkFaults(List<Link> links) {
    this.links = links;
  }

  static NetworkFaults start(Map<String, String> environment, long seed) throws IOException {
    List<Link> links = new ArrayList<>();
    try {
      links.add(link("Firestore", LocalCloud.FIRESTORE_EMULATOR_HOST, 0.05, environment, seed));
      links.add(link("Pub/Sub", LocalCloud.PUBSUB_EMULATOR_HOST, 0.02, environment, seed + 1));
      links.add(
          link("Cloud Storage", LocalCloud.STORAGE_EMULATOR_HOST, 0.01, environment, seed + 2));
    } catch (IOException e) {
      for (Link link : links) {
        link.proxy().close();
      }
      throw e;
    }
    return new NetworkFaults(links);
  }

  private static Link link(
      String service, String setting, double ratio, Map<String, String> environment, long seed)
      throws IOException {
    String upstream = environment.get(setting);
    if (upstream == null) {
      throw new IllegalStateException("the local cloud gives no " + setting);
    }
    return new Link(service, setting, ratio, FaultProxy.start(service, upstream, seed));
  }

  /**
   * The settings that send the functions through the proxies: host:port, or for Cloud Storage a
   * base URI as the client expects it.
   */
  Map<String, String> functionSettings() {
    Map<String, String> settings = new LinkedHashMap<>();
    for (Link link : links) {
      String address = link.proxy().hostAndPort();
      settings.put(
          link.setting(),
          link.setting().equals(LocalCloud.STORAGE_EMULATOR_HOST) ? "http://" + address : address);
    }
    return settings;
  }

  /** Random resets from now on; counted from here for {@link #off}. */
  void on() {
    for (Link link : links) {
      resetsBefore.put(link.service(), link.proxy().resets());
      link.proxy().resetRatio(link.ratio());
    }
  }

  /** No more random resets; adds what each proxy reset since {@link #on} to the tally. */
  void off(Tally tally) {
    for (Link link : links) {
      link.proxy().resetRatio(0);
      tally.add(
          link.service() + " connection reset mid-call",
          link.proxy().resets() - resetsBefore.getOrDefault(link.service(), 0));
    }
  }

  /** A network blip: every open connection of every service reset at once. */
  void resetAll(Tally tally) {
    for (Link link : links) {
      tally.add(
          link.service() + " connections reset at once (all open)",
          link.proxy().resetAll() > 0 ? 1 : 0);
    }
  }

  /** For the round's progress line: resets since {@link #on}, connections and chunks so far. */
  String summary() {
    List<String> parts = new ArrayList<>();
    for (Link link : links) {
      FaultProxy proxy = link.proxy();
      parts.add(
          link.service()
              + " "
              + (proxy.resets() - resetsBefore.getOrDefault(link.service(), 0))
              + " reset of "
              + proxy.connections()
              + " connections ("
              + proxy.chunks()
              + " chunks)");
    }
    return String.join(", ", parts);
  }

  @Override
  public void close() throws IOException {
    for (Link link : links) {
      link.proxy().close();
    }
  }
}
