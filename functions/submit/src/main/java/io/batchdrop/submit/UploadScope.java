package io.batchdrop.submit;

import io.batchdrop.cloud.config.BatchdropConfig;
import java.util.Optional;

/**
 * Which objects are uploads for Batchdrop. A storage trigger sees every object of its bucket, so
 * the inbox prefix and the {@code .jsonl} suffix are checked here.
 */
final class UploadScope {
  private final BatchdropConfig config;

  UploadScope(BatchdropConfig config) {
    this.config = config;
  }

  /** Why the object is not ours to process; empty when it is. */
  Optional<String> whyIgnored(UploadedObject object) {
    if (!object.bucket().equals(config.submit().inboxBucket())) {
      return Optional.of(
          "bucket " + object.bucket() + " is not the inbox " + config.submit().inboxBucket());
    }
    if (!object.name().startsWith(config.submit().inboxPrefix())) {
      return Optional.of(
          "object is outside the inbox prefix \"" + config.submit().inboxPrefix() + "\"");
    }
    if (!object.name().endsWith(".jsonl")) {
      return Optional.of("object name does not end with .jsonl");
    }
    return Optional.empty();
  }
}
