package io.batchdrop.emulator.secretmanager;

import io.grpc.Status;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Secret and secret version resource names, checked as Secret Manager checks them. */
final class SecretNames {
  // Secret ids are at most 255 letters, digits, '-' and '_'.
  private static final Pattern SECRET = Pattern.compile("projects/([^/]+)/secrets/([\\w-]{1,255})");
  private static final Pattern VERSION =
      Pattern.compile("projects/([^/]+)/secrets/([\\w-]{1,255})/versions/([^/]+)");

  private SecretNames() {}

  record Secret(String project, String id) {
    String name() {
      return "projects/" + project + "/secrets/" + id;
    }
  }

  record Version(Secret secret, String version) {
    String name() {
      return secret.name() + "/versions/" + version;
    }
  }

  static Secret secret(String name) {
    Matcher m = SECRET.matcher(name == null ? "" : name);
    if (!m.matches()) {
      throw invalid(name, "projects/*/secrets/*");
    }
    return new Secret(m.group(1), m.group(2));
  }

  static Version version(String name) {
    Matcher m = VERSION.matcher(name == null ? "" : name);
    if (!m.matches()) {
      throw invalid(name, "projects/*/secrets/*/versions/*");
    }
    return new Version(new Secret(m.group(1), m.group(2)), m.group(3));
  }

  private static RuntimeException invalid(String name, String expected) {
    return Status.INVALID_ARGUMENT
        .withDescription(
            "Invalid resource field value in the request: name is \""
                + name
                + "\"; expected "
                + expected)
        .asRuntimeException();
  }
}
