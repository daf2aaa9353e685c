package io.batchdrop.cli;

/** The command line is wrong: the tool prints the message and the usage, and exits with 2. */
final class UsageException extends Exception {
  UsageException(String message) {
    super(message);
  }
}
