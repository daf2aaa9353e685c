package io.batchdrop.cli;

import com.google.api.gax.rpc.ApiException;
import com.google.cloud.BaseServiceException;

/** One line for an exception from a Google client: the service's own message, not a stack. */
final class Errors {
  private Errors() {}

  static String describe(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof ApiException api) {
        return api.getStatusCode().getCode() + ": " + api.getMessage();
      }
      if (t instanceof BaseServiceException service) {
        return "HTTP " + service.getCode() + ": " + service.getMessage();
      }
    }
    return e.toString();
  }
}
