package io.batchdrop.testing;

import com.google.cloud.storage.BucketInfo;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Batchdrop deployed on a {@link LocalCloud}: the inbox and work buckets, the topics of {@code
 * terraform/pubsub.tf} (the dead-letter topic included) each with a pull subscription named {@code
 * <topic>-sub}, and the environment a function instance gets — the emulator endpoints plus the
 * {@code BATCHDROP_*} settings, to which a test adds its own. What a test builds on it (function
 * instances, client sets, pools) is registered with {@link #closeLater} and closed, newest first,
 * by {@link #close}: one test's instances never outlive it.
 */
public final class LocalDeployment implements AutoCloseable {
  public static final String INBOX = "batchdrop-inbox";
  public static final String WORK = "batchdrop-work";

  /** Where the Pub/Sub triggers' hand-offs go after their last failed delivery. */
  public static final String DEAD_LETTER_TOPIC = "dead-letter";

  public static final List<String> TOPICS =
      List.of("results", "events", "completions", "poll-slices", DEAD_LETTER_TOPIC);

  private Map<String, String> environment;
  private final Closer resources = new Closer();

  private LocalDeployment(Map<String, String> environment) {
    this.environment = Map.copyOf(environment);
  }

  /**
   * Creates the buckets, topics and subscriptions in the (freshly reset) cloud; buckets kept from
   * an earlier start in the storage emulator's directory are reused as they are. The deployment is
   * closed with the test ({@link LocalCloud#closeAfterTest}).
   */
  public static LocalDeployment create(LocalCloud cloud) {
    for (String bucket : List.of(INBOX, WORK)) {
      if (cloud.storage().get(bucket) == null) {
        cloud.storage().create(BucketInfo.of(bucket));
      }
    }
    for (String topic : TOPICS) {
      cloud.createTopic(topic);
      cloud.createSubscription(topic, topic + "-sub");
    }
    Map<String, String> env = new HashMap<>(cloud.environment());
    env.put("BATCHDROP_INBOX_BUCKET", INBOX);
    env.put("BATCHDROP_WORK_BUCKET", WORK);
    env.put("BATCHDROP_RESULTS_TOPIC", "results");
    env.put("BATCHDROP_EVENTS_TOPIC", "events");
    env.put("BATCHDROP_COMPLETIONS_TOPIC", "completions");
    env.put("BATCHDROP_POLL_SLICES_TOPIC", "poll-slices");
    // Retries of Vertex calls back off for milliseconds, not seconds, against the emulator.
    env.put("BATCHDROP_VERTEX_BACKOFF_MS", "5");
    LocalDeployment deployment = new LocalDeployment(env);
    cloud.closeAfterTest(deployment);
    return deployment;
  }

  public Map<String, String> environment() {
    return environment;
  }

  /** Closes {@code resource} when the deployment is closed, after what was registered later. */
  public <T extends AutoCloseable> T closeLater(T resource) {
    return resources.register(resource);
  }

  /**
   * Closes every registered resource, newest first, even when one fails; a second call is a no-op.
   */
  @Override
  public void close() {
    resources.close();
  }

  /** Adds or replaces settings; functions built afterwards see them. */
  public void configure(Map<String, String> settings) {
    Map<String, String> env = new HashMap<>(environment);
    env.putAll(settings);
    environment = Map.copyOf(env);
  }
}
