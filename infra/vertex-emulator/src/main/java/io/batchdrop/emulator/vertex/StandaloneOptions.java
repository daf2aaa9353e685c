package io.batchdrop.emulator.vertex;

import com.google.cloud.NoCredentials;
import com.google.cloud.storage.StorageOptions;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/** The command line of the standalone emulator. */
record StandaloneOptions(
    String host,
    int port,
    String storageHost,
    String project,
    Duration pendingDelay,
    Duration runningDelay,
    Set<String> models) {

  static final String USAGE =
      "usage: VertexEmulator [--host 127.0.0.1] [--port 9024] "
          + "--storage-host http://127.0.0.1:PORT (or STORAGE_EMULATOR_HOST) [--project local-project] "
          + "[--pending-delay-ms 0] [--running-delay-ms 0] [--models m1,m2,...]";

  static StandaloneOptions parse(String[] args, Map<String, String> env) {
    String host = "127.0.0.1";
    int port = 9024;
    String storageHost = env.get("STORAGE_EMULATOR_HOST");
    String project = "local-project";
    long pendingMs = 0;
    long runningMs = 0;
    Set<String> models = VertexEmulatorConfig.DEFAULT_MODELS;
    for (int i = 0; i < args.length; i++) {
      String flag = args[i];
      if (i + 1 >= args.length) {
        throw new IllegalArgumentException("missing value for " + flag);
      }
      String value = args[++i];
      switch (flag) {
        case "--host" -> host = value;
        case "--port" -> port = number(flag, value);
        case "--storage-host" -> storageHost = value;
        case "--project" -> project = value;
        case "--pending-delay-ms" -> pendingMs = number(flag, value);
        case "--running-delay-ms" -> runningMs = number(flag, value);
        case "--models" -> models = new HashSet<>(Arrays.asList(value.split(",")));
        default -> throw new IllegalArgumentException("unknown flag " + flag);
      }
    }
    if (storageHost == null || storageHost.isBlank()) {
      throw new IllegalArgumentException(
          "--storage-host is required (the Cloud Storage emulator's http://host:port)");
    }
    if (!storageHost.contains("://")) {
      storageHost = "http://" + storageHost;
    }
    return new StandaloneOptions(
        host,
        port,
        storageHost,
        project,
        Duration.ofMillis(pendingMs),
        Duration.ofMillis(runningMs),
        models);
  }

  VertexEmulatorConfig config() {
    return new VertexEmulatorConfig(
        host,
        port,
        StorageOptions.http()
            .setHost(storageHost)
            .setProjectId(project)
            .setCredentials(NoCredentials.getInstance())
            .build()
            .getService(),
        pendingDelay,
        runningDelay,
        models,
        JobLimits.VERTEX);
  }

  private static int number(String flag, String value) {
    try {
      int number = Integer.parseInt(value);
      if (number < 0) {
        throw new NumberFormatException();
      }
      return number;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          flag + " needs a non-negative number, got \"" + value + "\"");
    }
  }
}
