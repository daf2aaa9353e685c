package io.batchdrop.emulator.vertex;

import io.grpc.Status;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses and builds the resource names of the JobService. */
final class ResourceNames {

  /** Real Vertex answers with the project number, whatever id the caller used. */
  static final String PROJECT_NUMBER = "123456789012";

  private static final Pattern PARENT = Pattern.compile("projects/([^/]+)/locations/([^/]+)");
  private static final Pattern JOB =
      Pattern.compile("projects/([^/]+)/locations/([^/]+)/batchPredictionJobs/(\\d+)");

  private ResourceNames() {}

  /** The location of a {@code projects/P/locations/L} parent. */
  static String locationOfParent(String parent) {
    Matcher m = PARENT.matcher(parent);
    if (!m.matches()) {
      throw Status.INVALID_ARGUMENT
          .withDescription(
              "Invalid parent: \""
                  + parent
                  + "\". Expected projects/{project}/locations/{location}.")
          .asRuntimeException();
    }
    return m.group(2);
  }

  static String jobName(String location, long id) {
    return "projects/" + PROJECT_NUMBER + "/locations/" + location + "/batchPredictionJobs/" + id;
  }

  static String operationName(String location, long id) {
    return "projects/" + PROJECT_NUMBER + "/locations/" + location + "/operations/" + id;
  }

  /** The job a name refers to; the project segment may be the id or the number, as with Vertex. */
  static JobKey jobKey(String name) {
    Matcher m = JOB.matcher(name);
    if (!m.matches()) {
      throw Status.INVALID_ARGUMENT
          .withDescription("Invalid BatchPredictionJob resource name: \"" + name + "\".")
          .asRuntimeException();
    }
    try {
      return new JobKey(m.group(2), Long.parseLong(m.group(3)));
    } catch (NumberFormatException e) {
      throw Status.INVALID_ARGUMENT
          .withDescription("Invalid BatchPredictionJob id in \"" + name + "\".")
          .asRuntimeException();
    }
  }

  /** A job's identity: where it lives and its numeric id. */
  record JobKey(String location, long id) {}
}
