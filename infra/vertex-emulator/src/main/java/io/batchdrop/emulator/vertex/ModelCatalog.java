package io.batchdrop.emulator.vertex;

import io.grpc.Status;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The publisher models jobs may name. */
final class ModelCatalog {

  private static final Pattern PUBLISHER_MODEL =
      Pattern.compile("(?:projects/[^/]+/locations/[^/]+/)?publishers/google/models/([^/@]+)");

  private final Set<String> modelIds;

  ModelCatalog(Set<String> modelIds) {
    this.modelIds = Set.copyOf(modelIds);
  }

  /** The model id ({@code gemini-2.5-flash}) of a known model name, else NOT_FOUND like Vertex. */
  String resolve(String model) {
    Matcher m = PUBLISHER_MODEL.matcher(model);
    if (!m.matches() || !modelIds.contains(m.group(1))) {
      throw Status.NOT_FOUND
          .withDescription("The PublisherModel " + model + " does not exist.")
          .asRuntimeException();
    }
    return m.group(1);
  }

  /** The model id of a name already accepted at create. */
  static String modelId(String model) {
    Matcher m = PUBLISHER_MODEL.matcher(model);
    return m.matches() ? m.group(1) : model;
  }
}
