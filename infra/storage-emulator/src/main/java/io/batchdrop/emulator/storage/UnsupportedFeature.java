package io.batchdrop.emulator.storage;

import java.util.List;
import java.util.Map;

/**
 * Names the Cloud Storage feature a request the emulator does not route belongs to, so a client
 * reports "not supported: bucket IAM policies" rather than a misleading "bucket not found".
 */
final class UnsupportedFeature {
  /** Path segments (after the bucket or object) and the feature they belong to. */
  private static final Map<String, String> BY_SEGMENT =
      Map.ofEntries(
          Map.entry("iam", "IAM policies"),
          Map.entry("acl", "access control lists (ACLs)"),
          Map.entry("defaultObjectAcl", "default object ACLs"),
          Map.entry("notificationConfigs", "Pub/Sub notification configurations"),
          Map.entry("lockRetentionPolicy", "retention policies"),
          Map.entry("restore", "soft delete and restore"),
          Map.entry("bulkRestore", "soft delete and restore"),
          Map.entry("watch", "object change notifications (watch)"),
          Map.entry("anywhereCaches", "Anywhere Cache"),
          Map.entry("managedFolders", "managed folders"),
          Map.entry("folders", "hierarchical namespace folders"),
          Map.entry("operations", "long-running operations"),
          Map.entry("hmacKeys", "HMAC keys"),
          Map.entry("serviceAccount", "service accounts"),
          Map.entry("channels", "notification channels"));

  private UnsupportedFeature() {}

  static String describe(ApiRequest request) {
    String call =
        request.method() + " " + request.exchange().getRequestURI().getRawPath() + " is not";
    List<String> s = request.segments();
    String api = s.isEmpty() ? "" : s.get(0);
    if (!List.of("storage", "b", "upload", "download", "batch", "resumable").contains(api)) {
      return call
          + " supported by the storage emulator: it speaks the JSON API v1 only, not the"
          + " XML API";
    }
    for (String segment : s) {
      String feature = BY_SEGMENT.get(segment);
      if (feature != null) {
        return call + " supported by the storage emulator: " + feature + " are not emulated";
      }
    }
    return call + " supported by the storage emulator (this API method is not emulated)";
  }
}
