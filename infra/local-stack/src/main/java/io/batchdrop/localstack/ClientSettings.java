package io.batchdrop.localstack;

import io.batchdrop.testing.LocalCloud;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The environment that points people's own tools at a running local stack: gcloud, gsutil, the
 * Google client libraries' emulator variables, and the deployment's names for {@code ./batchdrop}
 * and scripts.
 */
final class ClientSettings {
  /** What a function gets that a person's shell has no use for. */
  private static final List<String> INTERNAL = List.of("BATCHDROP_VERTEX_BACKOFF_MS");

  private static final List<String> GEMINI = List.of("GEMINI_API_BASE_URL", "GEMINI_API_KEY");

  private ClientSettings() {}

  /** In the order they are printed: gcloud first, then the client libraries, then Batchdrop's. */
  static Map<String, String> of(Map<String, String> deployment) {
    return of(deployment, Map.of());
  }

  /** With gsutil's ({@link GsutilFiles#settings()}) after gcloud's. */
  static Map<String, String> of(Map<String, String> deployment, Map<String, String> gsutil) {
    String storage = deployment.get(LocalCloud.STORAGE_EMULATOR_HOST);
    String pubsub = deployment.get(LocalCloud.PUBSUB_EMULATOR_HOST);
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put("CLOUDSDK_API_ENDPOINT_OVERRIDES_STORAGE", storage + "/storage/v1/");
    settings.put("CLOUDSDK_API_ENDPOINT_OVERRIDES_PUBSUB", "http://" + pubsub + "/");
    settings.put("CLOUDSDK_AUTH_DISABLE_CREDENTIALS", "True");
    settings.put("CLOUDSDK_CORE_PROJECT", deployment.get(LocalCloud.GOOGLE_CLOUD_PROJECT));
    settings.putAll(gsutil);
    for (String name :
        List.of(
            LocalCloud.STORAGE_EMULATOR_HOST,
            LocalCloud.PUBSUB_EMULATOR_HOST,
            LocalCloud.FIRESTORE_EMULATOR_HOST,
            LocalCloud.VERTEX_ENDPOINT,
            LocalCloud.GOOGLE_CLOUD_PROJECT)) {
      settings.put(name, deployment.get(name));
    }
    // The Gemini API emulator and its key: ./batchdrop refuses to start without a key when
    // gemini-api is an allowed backend, and reaches the emulator only through the base URL.
    for (String name : GEMINI) {
      if (deployment.containsKey(name)) {
        settings.put(name, deployment.get(name));
      }
    }
    deployment.keySet().stream()
        .filter(name -> name.startsWith("BATCHDROP_") && !INTERNAL.contains(name))
        .sorted()
        .forEach(name -> settings.put(name, deployment.get(name)));
    return settings;
  }

  /** {@code export NAME='value'} lines a POSIX shell can source. */
  static String exportLines(Map<String, String> settings) {
    StringBuilder lines = new StringBuilder();
    settings.forEach(
        (name, value) ->
            lines
                .append("export ")
                .append(name)
                .append("='")
                .append(value.replace("'", "'\\''"))
                .append("'\n"));
    return lines.toString();
  }
}
