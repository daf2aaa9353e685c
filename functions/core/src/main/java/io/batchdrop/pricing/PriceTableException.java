package io.batchdrop.pricing;

import java.io.IOException;

/**
 * A price table that cannot be used; the message names the model and field and what was expected.
 */
public final class PriceTableException extends IOException {
  PriceTableException(String message) {
    super(message);
  }

  PriceTableException(String message, Throwable cause) {
    super(message, cause);
  }
}
