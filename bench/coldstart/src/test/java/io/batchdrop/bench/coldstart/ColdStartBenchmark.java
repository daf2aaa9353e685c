package io.batchdrop.bench.coldstart;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.cloud.storage.Blob;
import com.google.cloud.storage.BlobInfo;
import com.google.pubsub.v1.PubsubMessage;
import io.batchdrop.bench.coldstart.ColdJvm.Request;
import io.batchdrop.cloud.jobs.HandOffMessage;
import io.batchdrop.cloud.run.RunId;
import io.batchdrop.testing.EventarcDelivery;
import io.batchdrop.testing.InvokedFunction;
import io.batchdrop.testing.LocalCloud;
import io.batchdrop.testing.LocalCloudTest;
import io.batchdrop.testing.LocalDeployment;
import io.batchdrop.testing.MessagePublishedEvent;
import io.batchdrop.testing.StorageEvents;
import io.cloudevents.CloudEvent;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Cold start of each function: its shaded jar on the Functions Framework invoker in a fresh JVM,
 * from JVM start to its first real event answered on the local cloud, beside a hello-world function
 * of the same kind on the same invoker in the same run (the floor). Each JVM-option variant is
 * measured for every contender in every round, rounds interleaved so a busy moment of the shared
 * machine hits all alike. Run with {@code ./batchdrop bench coldstart [-Dbench.runs=N]}.
 */
@LocalCloudTest
@Tag("benchmark")
class ColdStartBenchmark {
  private static final int RUNS = Integer.getInteger("bench.runs", 5);
  private static final Path FUNCTIONS = Path.of(System.getProperty("bench.functions.dir"));
  private static final Path OUT = Path.of("target", "coldstart");
  private static final List<String> PRODUCTION =
      List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC");

  /** {@code -Dbench.extra="-Xlog:class+load:file=/tmp/%p.log"}: added to every measured run. */
  private static final List<String> EXTRA =
      System.getProperty("bench.extra", "").isBlank()
          ? List.of()
          : List.of(System.getProperty("bench.extra").trim().split("\\s+"));

  /** {@code -Dbench.compare=DIR[,DIR…]}: also time the function jars in each DIR. */
  private static final String COMPARE = System.getProperty("bench.compare", "");

  /** {@code -Dbench.variants=production,production+appcds}: only these variants. */
  private static final String VARIANTS = System.getProperty("bench.variants", "");

  /**
   * {@code -Dbench.try="c1=-XX:CICompilerCount=1;xms=-Xms64m -Xmn32m"}: more variants, each the
   * production options plus these, named {@code production+NAME}.
   */
  private static final String TRY = System.getProperty("bench.try", "");

  /** {@code -Dbench.breakdown=N}: also N runs of {@link FirstUseBreakdown} on submit's jar. */
  private static final int BREAKDOWN = Integer.getInteger("bench.breakdown", 0);

  private static final ObjectMapper JSON = new ObjectMapper();

  /** What a deployment's memory gives the heap: half of 1 GiB (submit) or of 512 MiB (poll). */
  private enum Kind {
    EVENT("-Xmx512m"),
    HTTP("-Xmx256m");

    final String heap;

    Kind(String heap) {
      this.heap = heap;
    }
  }

  /** {@code role}: which event it gets (hello-event, submit, hello-http, poll). */
  private record Contender(
      String name, String role, Path jar, String target, Kind kind, boolean floor) {}

  /**
   * A JDK, how the function is launched on it, JVM options, and the archive of loaded classes a
   * training run dumps for it (none, AppCDS, or a JDK 24+ AOT cache).
   */
  private record Variant(
      String name, Path javaHome, ColdJvm.Launch launch, List<String> options, Archive archive) {
    Variant(String name, List<String> options, Archive archive) {
      this(name, RUNNING_JDK, ColdJvm.Launch.BUILDPACK, options, archive);
    }
  }

  private static final Path RUNNING_JDK = Path.of(System.getProperty("java.home"));

  /**
   * {@code -Dbench.java=/usr/lib/jvm/temurin-25-jdk-amd64}: also measure on that JDK, as a source
   * deploy's {@code java25} runtime would start it and as a container image of our own could (the
   * function on the application class path, with and without an AOT cache).
   */
  private static final String OTHER_JDKS = System.getProperty("bench.java", "");

  /** What a training run does before it exits, and which archive it leaves. */
  private enum Archive {
    NONE(Training.NONE, "", "", ""),
    APPCDS_STARTUP(Training.STARTUP, "-XX:ArchiveClassesAtExit=", "-XX:SharedArchiveFile=", "jsa"),
    APPCDS(Training.FIRST_EVENT, "-XX:ArchiveClassesAtExit=", "-XX:SharedArchiveFile=", "jsa"),
    /** JDK 24+ (JEP 483, 514): classes loaded and linked, from one training run. */
    AOT_STARTUP(Training.STARTUP, "-XX:AOTCacheOutput=", "-XX:AOTCache=", "aot"),
    AOT(Training.FIRST_EVENT, "-XX:AOTCacheOutput=", "-XX:AOTCache=", "aot");

    final Training training;
    final String dump;
    final String use;
    final String extension;

    Archive(Training training, String dump, String use, String extension) {
      this.training = training;
      this.dump = dump;
      this.use = use;
      this.extension = extension;
    }
  }

  private enum Training {
    NONE,
    /** Start and exit: all a build could do without the local cloud (e.g. at package time). */
    STARTUP,
    /** Start, answer one real event, exit. */
    FIRST_EVENT
  }

  private final AtomicInteger uploads = new AtomicInteger();
  private LocalCloud cloud;
  private Blob lastUpload;
  private final java.util.ArrayDeque<PubsubMessage> handOffs = new java.util.ArrayDeque<>();
  private PubsubMessage lastHandOff;
  private Map<String, String> environment;

  @Test
  void eachFunctionAnswersItsFirstEventWithinOneAndAHalfTimesTheHelloWorldFloor(LocalCloud cloud)
      throws Exception {
    this.cloud = cloud;
    LocalDeployment deployment = LocalDeployment.create(cloud);
    deployment.configure(
        Map.of(
            "BATCHDROP_INBOX_PREFIX", "incoming/",
            "BATCHDROP_LOCATION", "us-central1",
            "BATCHDROP_ALLOWED_MODELS", "gemini-2.5-flash"));
    environment = deployment.environment();
    Files.createDirectories(OUT);
    Path hello = helloJar(OUT.resolve("hello-functions.jar"));
    List<Contender> contenders = new ArrayList<>();
    contenders.add(
        new Contender(
            "hello-event", "hello-event", hello, HelloEvent.class.getName(), Kind.EVENT, true));
    contenders.addAll(submit(FUNCTIONS.resolve("submit/target"), ""));
    contenders.add(
        new Contender(
            "hello-http", "hello-http", hello, HelloHttp.class.getName(), Kind.HTTP, true));
    contenders.addAll(poll(FUNCTIONS.resolve("poll/target"), ""));
    contenders.addAll(publish(FUNCTIONS.resolve("publish/target"), ""));
    for (String compare : COMPARE.isBlank() ? new String[0] : COMPARE.split(",")) {
      // Other builds of the same jars, e.g. from before a packaging change, in the same rounds.
      Path dir = Path.of(compare.trim());
      contenders.addAll(submit(dir, "@" + dir.getFileName()));
      contenders.addAll(poll(dir, "@" + dir.getFileName()));
      contenders.addAll(publish(dir, "@" + dir.getFileName()));
    }
    for (Contender c : contenders) {
      try (ZipFile zip = new ZipFile(c.jar().toFile())) {
        System.out.printf(
            Locale.ROOT,
            "%-18s %s: %,d bytes, %,d entries%n",
            c.name(),
            c.jar().getFileName(),
            Files.size(c.jar()),
            zip.size());
      }
    }
    List<Variant> variants =
        List.of(
            new Variant("jdk-defaults", List.of(), Archive.NONE),
            new Variant("production", PRODUCTION, Archive.NONE),
            new Variant("production+appcds-startup", PRODUCTION, Archive.APPCDS_STARTUP),
            new Variant("production+appcds", PRODUCTION, Archive.APPCDS));
    variants = new ArrayList<>(variants);
    for (String home : OTHER_JDKS.isBlank() ? new String[0] : OTHER_JDKS.split(",")) {
      variants.addAll(otherJdk(Path.of(home.trim())));
    }
    for (String tried : TRY.isBlank() ? new String[0] : TRY.split(";")) {
      String[] nameAndOptions = tried.split("=", 2);
      List<String> options = new ArrayList<>(PRODUCTION);
      options.addAll(List.of(nameAndOptions[1].trim().split("\\s+")));
      variants.add(new Variant("production+" + nameAndOptions[0].trim(), options, Archive.NONE));
    }
    if (!VARIANTS.isBlank()) {
      List<String> chosen = List.of(VARIANTS.split(","));
      variants = variants.stream().filter(v -> chosen.contains(v.name())).toList();
    }
    for (Variant v : variants) {
      if (v.archive() != Archive.NONE) {
        for (Contender c : contenders) {
          train(c, v);
        }
      }
    }

    Map<String, List<Double>> millis = new LinkedHashMap<>();
    Map<String, Integer> polled = new LinkedHashMap<>();
    for (int round = 1; round <= RUNS; round++) {
      for (Variant v : variants) {
        for (Contender c : contenders) {
          ColdJvm.Answer answer = coldStart(c, v, polled);
          millis
              .computeIfAbsent(v.name() + "/" + c.name(), k -> new ArrayList<>())
              .add((double) answer.sinceJvmStart().toMillis());
          millis
              .computeIfAbsent(v.name() + "/" + c.name() + "/listening", k -> new ArrayList<>())
              .add((double) answer.listening().toMillis());
          millis
              .computeIfAbsent(v.name() + "/" + c.name() + "/cpu", k -> new ArrayList<>())
              .add((double) answer.cpu().toMillis());
        }
      }
      System.out.printf(Locale.ROOT, "round %d of %d done%n", round, RUNS);
    }

    StringBuilder json = new StringBuilder("{\"runs\": " + RUNS);
    for (Variant v : RUNS == 0 ? List.<Variant>of() : variants) {
      System.out.printf(
          Locale.ROOT,
          "%n%s (%s; %s, %s)%n",
          v.name(),
          String.join(" ", options(contenders.get(0), v)),
          v.javaHome(),
          v.launch());
      for (Contender c : contenders) {
        Spread s = Spread.of(millis.get(v.name() + "/" + c.name()));
        Spread cpu = Spread.of(millis.get(v.name() + "/" + c.name() + "/cpu"));
        String ratio = "";
        if (!c.floor()) {
          String floorName = v.name() + "/hello-" + c.kind().name().toLowerCase(Locale.ROOT);
          Spread floor = Spread.of(millis.get(floorName));
          Spread floorCpu = Spread.of(millis.get(floorName + "/cpu"));
          ratio =
              String.format(
                  Locale.ROOT,
                  "  %.2f× the floor (CPU %.2f×)",
                  s.median() / floor.median(),
                  cpu.median() / floorCpu.median());
          json.append(
              String.format(
                  Locale.ROOT,
                  ", \"%s/%s_ratio\": %.2f, \"%s/%s_cpu_ratio\": %.2f",
                  v.name(),
                  c.name(),
                  s.median() / floor.median(),
                  v.name(),
                  c.name(),
                  cpu.median() / floorCpu.median()));
        }
        System.out.printf(
            Locale.ROOT,
            "  %-18s median %5.0f ms  (min %5.0f, max %5.0f, %d runs; listening at %4.0f; CPU %5.0f"
                + " ms)%s%n",
            c.name(),
            s.median(),
            s.min(),
            s.max(),
            s.runs(),
            Spread.of(millis.get(v.name() + "/" + c.name() + "/listening")).median(),
            cpu.median(),
            ratio);
        json.append(
            String.format(Locale.ROOT, ", \"%s/%s_ms\": %.0f", v.name(), c.name(), s.median()));
      }
    }
    System.out.println("poll jobs polled per first call: " + polled.values());
    if (BREAKDOWN > 0) {
      breakdown(FUNCTIONS.resolve("submit/target/batchdrop-submit.jar"));
    }
    System.out.println(json.append("}"));
  }

  /**
   * {@link FirstUseBreakdown} in {@link #BREAKDOWN} fresh JVMs with the production options: the
   * median of each step's wall time, CPU time and classes loaded.
   */
  private void breakdown(Path jar) throws Exception {
    Map<String, List<double[]>> steps = new LinkedHashMap<>();
    for (int run = 1; run <= BREAKDOWN; run++) {
      List<String> command = new ArrayList<>();
      command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
      command.addAll(PRODUCTION);
      command.add(Kind.EVENT.heap);
      command.addAll(EXTRA);
      command.addAll(
          List.of(
              "-cp",
              String.join(
                  java.io.File.pathSeparator,
                  jar.toString(),
                  FUNCTIONS.resolve("poll/target/batchdrop-poll.jar").toString(),
                  InvokedFunction.invokerJar().toString(),
                  Path.of("target", "test-classes").toAbsolutePath().toString()),
              FirstUseBreakdown.class.getName()));
      ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
      builder.environment().putAll(environment);
      Process process = builder.start();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      // Kept whole, e.g. for -Dbench.extra=-verbose:class: which classes each step loaded.
      Files.writeString(Path.of("target", "breakdown-" + run + ".log"), output);
      assertThat(process.waitFor(120, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
      assertThat(process.exitValue()).as(output).isZero();
      for (String line : output.split("\n")) {
        if (line.startsWith("breakdown|")) {
          String[] f = line.split("\\|");
          steps
              .computeIfAbsent(f[1], k -> new ArrayList<>())
              .add(
                  new double[] {
                    Double.parseDouble(f[2]), Double.parseDouble(f[3]), Double.parseDouble(f[4])
                  });
        }
      }
    }
    System.out.printf(
        Locale.ROOT,
        "%nfirst use, step by step (%d runs, medians): wall ms, CPU ms, classes%n",
        BREAKDOWN);
    steps.forEach(
        (name, runs) ->
            System.out.printf(
                Locale.ROOT,
                "  %-30s %6.0f %6.0f %6.0f%n",
                name,
                median(runs, 0),
                median(runs, 1),
                median(runs, 2)));
  }

  private static double median(List<double[]> runs, int field) {
    return Spread.of(runs.stream().map(r -> r[field]).toList()).median();
  }

  private static List<Contender> submit(Path dir, String suffix) {
    return List.of(
        new Contender(
            "submit" + suffix,
            "submit",
            dir.resolve("batchdrop-submit.jar"),
            "io.batchdrop.submit.SubmitFunction",
            Kind.EVENT,
            false));
  }

  private static List<Contender> poll(Path dir, String suffix) {
    return List.of(
        new Contender(
            "poll" + suffix,
            "poll",
            dir.resolve("batchdrop-poll.jar"),
            "io.batchdrop.poll.PollFunction",
            Kind.HTTP,
            false));
  }

  /** Publish, when that build has it: it drains a hand-off that the poll before it sent. */
  private static List<Contender> publish(Path dir, String suffix) {
    Path jar = dir.resolve("batchdrop-publish.jar");
    if (!Files.exists(jar)) {
      return List.of();
    }
    return List.of(
        new Contender(
            "publish" + suffix,
            "publish",
            jar,
            "io.batchdrop.publish.PublishFunction",
            Kind.EVENT,
            false));
  }

  /**
   * The variants of another JDK: the production options as a source deploy starts them, then on the
   * application class path (a container image of our own) without and with an AOT cache.
   */
  private static List<Variant> otherJdk(Path home) throws Exception {
    String version =
        Files.readAllLines(home.resolve("release")).stream()
            .filter(line -> line.startsWith("JAVA_VERSION="))
            .map(line -> line.replaceAll("JAVA_VERSION=\"?(\\d+).*", "$1"))
            .findFirst()
            .orElseThrow(() -> new IllegalArgumentException("no JAVA_VERSION in " + home));
    String jdk = "java" + version;
    ColdJvm.Launch app = ColdJvm.Launch.APPLICATION_CLASS_PATH;
    return List.of(
        new Variant(jdk + "-production", home, ColdJvm.Launch.BUILDPACK, PRODUCTION, Archive.NONE),
        new Variant(jdk + "-production+app-class-path", home, app, PRODUCTION, Archive.NONE),
        new Variant(jdk + "-production+aot-startup", home, app, PRODUCTION, Archive.AOT_STARTUP),
        new Variant(jdk + "-production+aot", home, app, PRODUCTION, Archive.AOT),
        new Variant(
            jdk + "-production+aot-buildpack",
            home,
            ColdJvm.Launch.BUILDPACK,
            PRODUCTION,
            Archive.AOT));
  }

  private List<String> options(Contender c, Variant v) {
    List<String> options = new ArrayList<>(v.options());
    options.add(c.kind().heap);
    options.addAll(EXTRA);
    if (v.archive() != Archive.NONE) {
      options.add(v.archive().use + archive(c, v));
    }
    return options;
  }

  private static Path archive(Contender c, Variant v) {
    return OUT.resolve(c.name() + "-" + v.name() + "." + v.archive().extension).toAbsolutePath();
  }

  /**
   * The archive of a contender: one run with the variant's options that starts (and for {@link
   * Training#FIRST_EVENT} answers one real event), then exits normally and dumps every class it
   * loaded (JDK, invoker and function: JDK 17's AppCDS archives classes of the invoker's own
   * function class loader too).
   */
  private void train(Contender c, Variant v) throws Exception {
    Path archive = archive(c, v);
    Files.deleteIfExists(archive);
    List<String> options = new ArrayList<>(v.options());
    options.add(c.kind().heap);
    options.add(v.archive().dump + archive);
    try (ColdJvm jvm =
        ColdJvm.start(v.javaHome(), v.launch(), c.jar(), c.target(), environment, options)) {
      if (v.archive().training == Training.FIRST_EVENT) {
        check(c, jvm.firstAnswer(request(c)).response(), jvm, new LinkedHashMap<>());
      } else {
        jvm.awaitListening();
      }
    }
    assertThat(archive).as("the archive written at exit").exists();
  }

  private ColdJvm.Answer coldStart(Contender c, Variant v, Map<String, Integer> polled)
      throws Exception {
    try (ColdJvm jvm =
        ColdJvm.start(v.javaHome(), v.launch(), c.jar(), c.target(), environment, options(c, v))) {
      ColdJvm.Answer answer = jvm.firstAnswer(request(c));
      check(c, answer.response(), jvm, polled);
      if (c.role().equals("submit")) {
        // Two more uploads on the now warm instance: a few jobs for the next poll to find due.
        for (int i = 0; i < 2; i++) {
          assertThat(jvm.send(request(c)).statusCode()).isEqualTo(200);
        }
      }
      return answer;
    }
  }

  private Request request(Contender c) {
    return switch (c.role()) {
      case "hello-event" ->
          request(MessagePublishedEvent.published(PubsubMessage.getDefaultInstance(), "hello"));
      case "submit" -> finalizeEvent(upload());
      case "publish" -> messagePublished(nextHandOff());
      default ->
          new Request(
              Map.of(
                  "X-CloudScheduler-JobName", "batchdrop-poll",
                  "X-CloudScheduler-ScheduleTime", "2026-12-01T09:00:00Z"),
              "");
    };
  }

  private void check(
      Contender c, HttpResponse<String> response, ColdJvm jvm, Map<String, Integer> polled)
      throws Exception {
    assertThat(response.statusCode()).as(jvm.output()).isEqualTo(200);
    if (c.role().equals("submit")) {
      String state =
          cloud
              .firestore()
              .collection("runs")
              .document(
                  RunId.of(lastUpload.getBucket(), lastUpload.getName(), lastUpload.getGeneration())
                      .value())
              .get()
              .get()
              .getString("state");
      assertThat(state).as("the run of the first event").isIn("SUBMITTED", "RUNNING");
    }
    if (c.role().equals("publish")) {
      String runId = HandOffMessage.decode(lastHandOff.getData().toByteArray()).runId();
      String state =
          cloud.firestore().collection("runs").document(runId).get().get().getString("state");
      assertThat(state).as("the run of the hand-off, closed").isIn("SUCCEEDED", "PARTIAL");
    }
    if (c.role().equals("poll")) {
      JsonNode summary = JSON.readTree(response.body());
      assertThat(summary.path("errors").asInt()).as(response.body()).isZero();
      polled.merge("call " + (polled.size() + 1), summary.path("polled").asInt(), Integer::sum);
    }
  }

  /** A hand-off poll sent to the completions topic: a finished job of a 3-row run. */
  private PubsubMessage nextHandOff() {
    if (handOffs.isEmpty()) {
      handOffs.addAll(cloud.pull("completions-sub", 1, Duration.ofSeconds(30)));
    }
    assertThat(handOffs).as("a hand-off from the poll before").isNotEmpty();
    lastHandOff = handOffs.poll();
    return lastHandOff;
  }

  /** The binary-mode messagePublished CloudEvent Eventarc POSTs for it. */
  private static Request messagePublished(PubsubMessage message) {
    return request(
        MessagePublishedEvent.of(
            message,
            "projects/p/topics/completions",
            "projects/p/subscriptions/eventarc-completions",
            1));
  }

  private static Request request(CloudEvent event) {
    EventarcDelivery delivery = EventarcDelivery.of(event);
    return new Request(delivery.headers(), delivery.body());
  }

  private Blob upload() {
    String name = "incoming/cold-" + uploads.incrementAndGet() + ".jsonl";
    StringBuilder lines = new StringBuilder();
    for (int i = 1; i <= 3; i++) {
      lines.append(
          "{\"request\":{\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"prompt "
              + i
              + "\"}]}]}}\n");
    }
    return cloud
        .storage()
        .create(
            BlobInfo.newBuilder(LocalDeployment.INBOX, name)
                .setContentType("application/jsonl")
                .build(),
            lines.toString().getBytes(StandardCharsets.UTF_8));
  }

  private Request finalizeEvent(Blob blob) {
    lastUpload = blob;
    return request(StorageEvents.finalized(blob, "evt-" + blob.getName()));
  }

  /** The two hello-world functions, alone in a jar as a deployment would ship them. */
  private static Path helloJar(Path jar) throws Exception {
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
      for (Class<?> type : List.of(HelloEvent.class, HelloHttp.class)) {
        String entry = type.getName().replace('.', '/') + ".class";
        out.putNextEntry(new JarEntry(entry));
        try (var in = type.getClassLoader().getResourceAsStream(entry)) {
          in.transferTo(out);
        }
        out.closeEntry();
      }
    }
    return jar;
  }
}
