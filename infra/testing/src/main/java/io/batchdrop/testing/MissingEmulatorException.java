package io.batchdrop.testing;

/** A gcloud emulator component is not installed; the message names the package to install. */
public final class MissingEmulatorException extends IllegalStateException {

  private static final long serialVersionUID = 1L;

  MissingEmulatorException(String message) {
    super(message);
  }
}
