package io.batchdrop.cli;

import com.google.api.gax.rpc.ApiException;
import com.google.api.gax.rpc.StatusCode;
import com.google.cloud.BaseServiceException;
import java.util.regex.Pattern;

/** One line for an exception from a Google client: the service's own message, not a stack. */
final class Errors {
  /** {@code io.grpc.StatusRuntimeException: }: a class name the client puts before the words. */
  private static final Pattern CLASS_PREFIX =
      Pattern.compile("^(?:[a-z_$][\\w$]*\\.)+[A-Z][\\w$]*(?:Exception|Error): ");

  private Errors() {}

  static String describe(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof ApiException api) {
        String code = api.getStatusCode().getCode().name();
        String words = plain(api.getMessage());
        // gRPC's own message starts with the code again: UNAVAILABLE: UNAVAILABLE: …
        if (words.startsWith(code + ": ")) {
          words = words.substring(code.length() + 2);
        }
        return code + ": " + words;
      }
      if (t instanceof BaseServiceException service) {
        return "HTTP " + service.getCode() + ": " + service.getMessage();
      }
    }
    return e.toString();
  }

  /** The status code of a Google client's failure, or null for any other exception. */
  static StatusCode.Code code(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof ApiException api) {
        return api.getStatusCode().getCode();
      }
    }
    return null;
  }

  /** The message without the exception class names the clients wrap it in. */
  private static String plain(String message) {
    if (message == null) {
      return "(no message)";
    }
    String words = message;
    String previous;
    do {
      previous = words;
      words = CLASS_PREFIX.matcher(words).replaceFirst("");
    } while (!words.equals(previous));
    return words;
  }
}
