package io.batchdrop.publish;

/** A {@code gs://bucket/prefix} location, as Vertex reports its output directory. */
record GcsLocation(String bucket, String prefix) {

  static GcsLocation parse(String uri) {
    if (uri == null || !uri.startsWith("gs://") || uri.indexOf('/', 5) < 0) {
      throw new IllegalArgumentException("not a gs://bucket/path location: " + uri);
    }
    int slash = uri.indexOf('/', 5);
    return new GcsLocation(uri.substring(5, slash), uri.substring(slash + 1));
  }

  /** The prefix as a directory: listing {@code a/b} must not also list {@code a/bc/}. */
  String directory() {
    return prefix.isEmpty() || prefix.endsWith("/") ? prefix : prefix + "/";
  }
}
