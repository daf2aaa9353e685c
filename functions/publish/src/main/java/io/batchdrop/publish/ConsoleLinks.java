package io.batchdrop.publish;

/** Google Cloud console pages for what the report names; null when the input is not one. */
final class ConsoleLinks {
  private static final String CONSOLE = "https://console.cloud.google.com/";

  private ConsoleLinks() {}

  /** The object details page of {@code gs://bucket/object}. */
  static String object(String gsUri) {
    GcsLocation at = parse(gsUri);
    return at == null
        ? null
        : CONSOLE
            + "storage/browser/_details/"
            + Html.urlPart(at.bucket())
            + "/"
            + Html.urlPath(at.prefix());
  }

  /** The folder page of {@code gs://bucket/prefix/}. */
  static String folder(String gsUri) {
    GcsLocation at = parse(gsUri);
    return at == null
        ? null
        : CONSOLE
            + "storage/browser/"
            + Html.urlPart(at.bucket())
            + "/"
            + Html.urlPath(at.directory());
  }

  /** The batch prediction page of {@code projects/P/locations/L/batchPredictionJobs/ID}. */
  static String batchJob(String vertexName) {
    if (vertexName == null) {
      return null;
    }
    String[] p = vertexName.split("/");
    if (p.length != 6
        || !"projects".equals(p[0])
        || !"locations".equals(p[2])
        || !"batchPredictionJobs".equals(p[4])) {
      return null;
    }
    return CONSOLE
        + "vertex-ai/locations/"
        + Html.urlPart(p[3])
        + "/batch-predictions/"
        + Html.urlPart(p[5])
        + "?project="
        + Html.urlPart(p[1]);
  }

  private static GcsLocation parse(String gsUri) {
    try {
      return GcsLocation.parse(gsUri);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}
