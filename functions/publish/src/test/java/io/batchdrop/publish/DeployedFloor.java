package io.batchdrop.publish;

import com.google.api.core.ApiFutureCallback;
import com.google.api.core.ApiFutures;
import com.google.api.gax.core.NoCredentialsProvider;
import com.google.api.gax.grpc.GrpcTransportChannel;
import com.google.api.gax.rpc.FixedTransportChannelProvider;
import com.google.cloud.pubsub.v1.Publisher;
import com.google.common.util.concurrent.MoreExecutors;
import com.google.protobuf.ByteString;
import com.google.pubsub.v1.PubsubMessage;
import com.google.pubsub.v1.TopicName;
import io.batchdrop.cloud.CloudClients;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The bench's second floor: the bare-publisher loop of {@code PublishBenchmark.runFloor} in a JVM
 * of its own started with the deployed {@code JAVA_TOOL_OPTIONS} (C1 only, serial GC, the
 * instance's heap), cold clients included. It answers what a function doing nothing but publishing
 * the same messages would take as deployed, where the in-JVM floor (warm, C2) answers what the
 * transport can do at best. {@link #run} starts it and reads its two figures back; {@link #main} is
 * the child.
 */
final class DeployedFloor {
  private static final Pattern FIGURES =
      Pattern.compile("deployed-floor build_ns=(\\d+) start_ns=(\\d+) confirmed_ns=(\\d+)");

  private DeployedFloor() {}

  /**
   * The child's own clock readings: {@code System.nanoTime()} is CLOCK_MONOTONIC on Linux, one
   * clock for every process of the machine, so the parent can compare them with its pullers'.
   */
  record Figures(long buildNanos, long startNanos, long confirmedNanos) {
    double buildSeconds() {
      return buildNanos / 1e9;
    }

    double confirmedSeconds() {
      return (confirmedNanos - startNanos) / 1e9;
    }
  }

  /**
   * Publishes {@code sizes.length - 1} messages (row {@code r} of data size {@code sizes[r]}, the
   * template's attributes) to {@code topic} from a fresh JVM with {@code jvmOptions}; waits for it
   * to exit within {@code timeout}.
   */
  static Figures run(
      String emulatorHost,
      String project,
      String topic,
      int firstRow,
      int[] sizes,
      Map<String, String> template,
      List<String> jvmOptions,
      Duration timeout)
      throws IOException, InterruptedException {
    Path dir = Files.createTempDirectory("deployed-floor-");
    Path input = dir.resolve("sizes.bin");
    try (DataOutputStream out =
        new DataOutputStream(new java.io.BufferedOutputStream(Files.newOutputStream(input)))) {
      out.writeInt(sizes.length - 1);
      for (int row = 1; row < sizes.length; row++) {
        out.writeInt(sizes[row]);
      }
    }
    Properties settings = new Properties();
    settings.setProperty("host", emulatorHost);
    settings.setProperty("project", project);
    settings.setProperty("topic", topic);
    settings.setProperty("firstRow", Integer.toString(firstRow));
    template.forEach((name, value) -> settings.setProperty("attribute." + name, value));
    Path props = dir.resolve("floor.properties");
    try (Writer out = Files.newBufferedWriter(props, StandardCharsets.UTF_8)) {
      settings.store(out, null);
    }
    List<String> command = new ArrayList<>(CpuPinning.contenderPrefix());
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions);
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(DeployedFloor.class.getName());
    command.add(props.toString());
    command.add(input.toString());
    Path log = dir.resolve("floor.log");
    Process process =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("the deployed-options floor did not end within " + timeout);
    }
    String output = Files.readString(log);
    Matcher m = FIGURES.matcher(output);
    if (process.exitValue() != 0 || !m.find()) {
      throw new AssertionError(
          "expected the deployed-options floor to exit 0 with its figures, got exit "
              + process.exitValue()
              + ":\n"
              + output);
    }
    return new Figures(
        Long.parseLong(m.group(1)), Long.parseLong(m.group(2)), Long.parseLong(m.group(3)));
  }

  /** The child: {@code DeployedFloor PROPERTIES SIZES}. */
  public static void main(String[] args) throws Exception {
    Properties settings = new Properties();
    try (Reader in = Files.newBufferedReader(Path.of(args[0]), StandardCharsets.UTF_8)) {
      settings.load(in);
    }
    int[] sizes;
    try (DataInputStream in =
        new DataInputStream(
            new java.io.BufferedInputStream(Files.newInputStream(Path.of(args[1]))))) {
      sizes = new int[in.readInt() + 1];
      for (int row = 1; row < sizes.length; row++) {
        sizes[row] = in.readInt();
      }
    }
    Map<String, String> template = new HashMap<>();
    for (String name : settings.stringPropertyNames()) {
      if (name.startsWith("attribute.")) {
        template.put(name.substring("attribute.".length()), settings.getProperty(name));
      }
    }
    int firstRow = Integer.parseInt(settings.getProperty("firstRow"));
    int rows = sizes.length - 1;

    long buildStart = System.nanoTime();
    ManagedChannel channel =
        ManagedChannelBuilder.forTarget(settings.getProperty("host")).usePlaintext().build();
    Publisher publisher =
        Publisher.newBuilder(
                TopicName.of(settings.getProperty("project"), settings.getProperty("topic")))
            .setBatchingSettings(CloudClients.PUBLISHER_BATCHING)
            .setChannelProvider(
                FixedTransportChannelProvider.create(GrpcTransportChannel.create(channel)))
            .setCredentialsProvider(NoCredentialsProvider.create())
            .build();
    long buildNanos = System.nanoTime() - buildStart;

    byte[] filler = new byte[Arrays.stream(sizes).max().orElse(0)];
    Arrays.fill(filler, (byte) 'x');
    Counted counted = new Counted();
    long start = System.nanoTime();
    for (int row = 1; row <= rows; row++) {
      Map<String, String> attributes = new HashMap<>(template);
      attributes.put("row", Integer.toString(firstRow + row - 1));
      attributes.put("dedup_id", "floor-jvm/" + row + "/1");
      attributes.put("key", "doc-" + row);
      PubsubMessage message =
          PubsubMessage.newBuilder()
              .putAllAttributes(attributes)
              .setData(ByteString.copyFrom(filler, 0, sizes[row]))
              .build();
      ApiFutures.addCallback(publisher.publish(message), counted, MoreExecutors.directExecutor());
    }
    publisher.publishAllOutstanding();
    counted.await(rows, Duration.ofMinutes(15));
    long confirmed = System.nanoTime();
    System.out.printf(
        "deployed-floor build_ns=%d start_ns=%d confirmed_ns=%d%n", buildNanos, start, confirmed);
    System.out.flush();
    publisher.shutdown();
    publisher.awaitTermination(30, TimeUnit.SECONDS);
    channel.shutdownNow();
    System.exit(0);
  }

  /** Confirmations counted by callbacks, as ResultPublisher counts them. */
  private static final class Counted implements ApiFutureCallback<String> {
    private long confirmed;
    private Throwable failure;

    @Override
    public synchronized void onSuccess(String id) {
      confirmed++;
      notifyAll();
    }

    @Override
    public synchronized void onFailure(Throwable t) {
      confirmed++;
      if (failure == null) {
        failure = t;
      }
      notifyAll();
    }

    synchronized void await(long count, Duration timeout) throws InterruptedException {
      long deadline = System.nanoTime() + timeout.toNanos();
      while (confirmed < count && failure == null) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new IllegalStateException(
              "expected " + count + " confirmations within " + timeout + ", got " + confirmed);
        }
        TimeUnit.NANOSECONDS.timedWait(this, left);
      }
      if (failure != null) {
        throw new IllegalStateException("a floor publish failed", failure);
      }
    }
  }
}
