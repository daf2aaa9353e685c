package io.batchdrop.emulator.storage;

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The command line of the standalone emulator. */
record StandaloneOptions(StorageEmulatorConfig config, List<Notification> notifications) {
  static final int DEFAULT_PORT = 9023;
  static final String USAGE =
      "usage: storage-emulator [--host 127.0.0.1] [--port 9023] [--dir PATH] [--notify BUCKET=URL]..."
          + " [--https-port N --ca-file PATH]";

  static StandaloneOptions parse(String[] args) {
    StorageEmulatorConfig config = StorageEmulatorConfig.inMemory().withPort(DEFAULT_PORT);
    List<Notification> notifications = new ArrayList<>();
    Integer httpsPort = null;
    Path caFile = null;
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
        case "--https-port" -> httpsPort = parsePort(value);
        case "--ca-file" -> caFile = Path.of(value);
        default -> throw new IllegalArgumentException("unknown option " + flag);
      }
    }
    if ((httpsPort == null) != (caFile == null)) {
      throw new IllegalArgumentException(
          "--https-port and --ca-file go together: the port to listen on and where to write the"
              + " certificate its clients trust");
    }
    if (httpsPort != null) {
      config = config.withHttps(httpsPort, caFile);
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
