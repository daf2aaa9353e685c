package io.batchdrop.cli;

import io.batchdrop.cloud.run.RunId;

/**
 * An operator command could not do its work: the message is the one line printed after {@code
 * batchdrop:}, the code the exit status (1 the thing asked about is not there or not ok, 2 the
 * deployment or a service could not be reached).
 */
final class OpsException extends Exception {
  private final int exitCode;

  OpsException(String message) {
    this(message, Main.EXIT_USAGE);
  }

  OpsException(String message, int exitCode) {
    super(message);
    this.exitCode = exitCode;
  }

  int exitCode() {
    return exitCode;
  }

  static OpsException notFound(RunId run) {
    return new OpsException("no run " + run + " in this deployment", Main.EXIT_INVALID);
  }
}
