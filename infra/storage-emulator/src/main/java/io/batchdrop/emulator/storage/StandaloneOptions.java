package io.batchdrop.emulator.storage;

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The command line of the standalone emulator. */
record StandaloneOptions(StorageEmulatorConfig config, List<Notification> notifications) {
  static final int DEFAULT_PORT = 9023;
  static final String USAGE =
      "usage: storage-emulator [--host 127.0.0.1] [--port 9023] [--dir PATH] [--notify BUCKET=URL]...";

  static StandaloneOptions parse(String[] args) {
    StorageEmulatorConfig config = StorageEmulatorConfig.inMemory().withPort(DEFAULT_PORT);
    List<Notification> notifications = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      String flag = args[i];
      if (i + 1 >= args.length) {
        throw new IllegalArgumentException("missing value after " + flag);
      }
      String value = args[++i];
      switch (flag) {
        case "--port" -> config = config.withPort(parsePort(value));
        case "--host" -> config = config.withHost(value);
        case "--dir" -> config = config.withDirectory(Path.of(value));
        case "--notify" -> notifications.add(Notification.parse(value));
        default -> throw new IllegalArgumentException("unknown option " + flag);
      }
    }
    return new StandaloneOptions(config, List.copyOf(notifications));
  }

  private static int parsePort(String value) {
    try {
      return Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--port needs a number, got '" + value + "'");
    }
  }

  /** {@code --notify BUCKET=URL}. */
  record Notification(String bucket, URI target) {
    static Notification parse(String value) {
      int eq = value.indexOf('=');
      if (eq <= 0 || eq == value.length() - 1) {
        throw new IllegalArgumentException("--notify needs BUCKET=URL, got '" + value + "'");
      }
      URI target = URI.create(value.substring(eq + 1));
      if (!"http".equals(target.getScheme()) && !"https".equals(target.getScheme())) {
        throw new IllegalArgumentException("--notify target must be an http(s) URL: " + target);
      }
      return new Notification(value.substring(0, eq), target);
    }
  }
}
