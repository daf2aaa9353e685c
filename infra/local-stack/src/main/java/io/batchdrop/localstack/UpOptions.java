package io.batchdrop.localstack;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * {@code ./batchdrop up [--dir PATH] [--env-file PATH] [--port-base N] [--poll-every SECONDS]}.
 *
 * @param dir where the storage emulator keeps its files across restarts; empty keeps them in memory
 * @param envFile where to write the settings as {@code export} lines once the stack is ready
 * @param portBase first of the fixed ports (storage, Vertex, Pub/Sub, Firestore, then one per
 *     function); 0 picks free ports
 * @param pollEvery how often the scheduler calls poll
 */
record UpOptions(
    Optional<Path> dir, Optional<Path> envFile, int portBase, Duration pollEvery, String backend) {

  static final int DEFAULT_PORT_BASE = 9020;
  static final Duration DEFAULT_POLL_EVERY = Duration.ofSeconds(10);

  static final String USAGE =
      """
      usage: batchdrop up [--dir PATH] [--env-file PATH] [--port-base N] [--poll-every SECONDS]
                          [--backend vertex|gemini-api]
      Run the local stack until Ctrl-C or SIGTERM: the Pub/Sub and Firestore emulators, the storage
      and Vertex AI emulators, every function on the Functions Framework invoker with its trigger,
      and a scheduler calling poll. Prints how to point gcloud, gsutil, the Node client and
      ./batchdrop at it.
        --dir PATH          keep the storage emulator's files in PATH across restarts
                            (Firestore and Pub/Sub always start empty)
        --env-file PATH     once ready, write the settings as shell export lines to PATH
                            (removed again on stop)
        --port-base N       storage on N, Vertex N+1, Pub/Sub N+2, Firestore N+3, Gemini
                            API N+4, functions from N+5 (default 9020; 0 picks free
                            ports)
        --poll-every SECS   seconds between scheduler calls of poll (default 10; Cloud
                            Scheduler calls it every 60 in the deployment)
        --backend NAME      BATCHDROP_BACKEND of the stack: vertex (default) or gemini-api
                            (the Gemini API emulator); a file's batchdrop-backend metadata
                            may ask for the other
      """;

  /** A usage error, with a message saying what was expected. */
  static final class UsageException extends Exception {
    UsageException(String message) {
      super(message);
    }
  }

  static UpOptions parse(List<String> args) throws UsageException {
    Optional<Path> dir = Optional.empty();
    Optional<Path> envFile = Optional.empty();
    int portBase = DEFAULT_PORT_BASE;
    Duration pollEvery = DEFAULT_POLL_EVERY;
    String backend = "vertex";
    for (int i = 0; i < args.size(); i++) {
      String flag = args.get(i);
      switch (flag) {
        case "--dir" -> dir = Optional.of(Path.of(value(args, ++i, flag)));
        case "--env-file" -> envFile = Optional.of(Path.of(value(args, ++i, flag)));
        case "--port-base" -> {
          portBase = number(args, ++i, flag);
          if (portBase != 0 && (portBase < 1024 || portBase > 65000)) {
            throw new UsageException(
                "--port-base is 0 (free ports) or a port from 1024 to 65000, got " + portBase);
          }
        }
        case "--poll-every" -> {
          int seconds = number(args, ++i, flag);
          if (seconds < 1 || seconds > 3600) {
            throw new UsageException(
                "--poll-every is a number of seconds from 1 to 3600, got " + seconds);
          }
          pollEvery = Duration.ofSeconds(seconds);
        }
        case "--backend" -> {
          backend = value(args, ++i, flag);
          if (!backend.equals("vertex") && !backend.equals("gemini-api")) {
            throw new UsageException("--backend is vertex or gemini-api, got " + backend);
          }
        }
        default ->
            throw new UsageException(
                "unknown option "
                    + flag
                    + "; expected one of "
                    + "--dir, --env-file, --port-base, --poll-every, --backend");
      }
    }
    return new UpOptions(dir, envFile, portBase, pollEvery, backend);
  }

  private static String value(List<String> args, int i, String flag) throws UsageException {
    if (i >= args.size() || args.get(i).isEmpty() || args.get(i).startsWith("--")) {
      throw new UsageException(flag + " needs a value");
    }
    return args.get(i);
  }

  private static int number(List<String> args, int i, String flag) throws UsageException {
    String text = value(args, i, flag);
    try {
      return Integer.parseInt(text);
    } catch (NumberFormatException e) {
      throw new UsageException(flag + " takes a whole number, got \"" + text + "\"");
    }
  }
}
