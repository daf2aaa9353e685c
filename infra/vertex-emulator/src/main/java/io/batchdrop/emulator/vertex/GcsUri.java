package io.batchdrop.emulator.vertex;

/** A {@code gs://bucket/object} address. */
record GcsUri(String bucket, String object) {

  static boolean isValid(String uri) {
    return uri.startsWith("gs://")
        && uri.length() > "gs://".length()
        && uri.charAt("gs://".length()) != '/';
  }

  static GcsUri parse(String uri) {
    if (!isValid(uri)) {
      throw new IllegalArgumentException("not a gs:// uri: " + uri);
    }
    String rest = uri.substring("gs://".length());
    int slash = rest.indexOf('/');
    return slash < 0
        ? new GcsUri(rest, "")
        : new GcsUri(rest.substring(0, slash), rest.substring(slash + 1));
  }

  GcsUri child(String name) {
    String base = object.isEmpty() || object.endsWith("/") ? object : object + "/";
    return new GcsUri(bucket, base + name);
  }

  @Override
  public String toString() {
    return "gs://" + bucket + "/" + object;
  }
}
