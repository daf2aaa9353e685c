package io.batchdrop.testing;

/** An emulator process did not come up; the message carries the end of its output. */
public final class EmulatorStartException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  EmulatorStartException(String message) {
    super(message);
  }

  EmulatorStartException(String message, Throwable cause) {
    super(message, cause);
  }
}
