package io.batchdrop.emulator.storage;

import java.util.Optional;

/**
 * The {@code if(Meta)generation(Not)Match} conditions of one request, checked against the live
 * object (or its absence) at the moment the request takes effect.
 */
record Preconditions(
    Long ifGenerationMatch,
    Long ifGenerationNotMatch,
    Long ifMetagenerationMatch,
    Long ifMetagenerationNotMatch) {

  static final Preconditions NONE = new Preconditions(null, null, null, null);

  /** Reads the conditions from query parameters, optionally prefixed (e.g. {@code ifSource}). */
  static Preconditions from(ApiRequest request, String prefix) {
    return new Preconditions(
        request.longParam(prefix + "GenerationMatch"),
        request.longParam(prefix + "GenerationNotMatch"),
        request.longParam(prefix + "MetagenerationMatch"),
        request.longParam(prefix + "MetagenerationNotMatch"));
  }

  static Preconditions from(ApiRequest request) {
    return from(request, "if");
  }

  /** For writes and deletes: any unmet condition is a 412. */
  void checkForWrite(Optional<ObjectMeta> current) {
    String failure = firstFailure(current);
    if (failure != null) {
      throw ApiException.preconditionFailed(failure);
    }
  }

  /**
   * For reads: a failed "not match" condition means the client's copy is current, which Cloud
   * Storage answers with 304; a failed "match" condition is a 412.
   */
  void checkForRead(ObjectMeta current) {
    String failure = firstFailure(Optional.of(current));
    if (failure == null) {
      return;
    }
    boolean notMatchFailed =
        (ifGenerationNotMatch != null && ifGenerationNotMatch == current.generation())
            || (ifMetagenerationNotMatch != null
                && ifMetagenerationNotMatch == current.metageneration());
    boolean matchFailed =
        (ifGenerationMatch != null && ifGenerationMatch != current.generation())
            || (ifMetagenerationMatch != null && ifMetagenerationMatch != current.metageneration());
    if (notMatchFailed && !matchFailed) {
      throw ApiException.notModified(failure);
    }
    throw ApiException.preconditionFailed(failure);
  }

  private String firstFailure(Optional<ObjectMeta> current) {
    if (ifGenerationMatch != null) {
      if (ifGenerationMatch == 0) {
        if (current.isPresent()) {
          return "At least one of the pre-conditions you specified did not hold: the object"
              + " already exists (ifGenerationMatch=0).";
        }
      } else if (current.isEmpty() || current.get().generation() != ifGenerationMatch) {
        return "At least one of the pre-conditions you specified did not hold: ifGenerationMatch="
            + ifGenerationMatch;
      }
    }
    if (ifGenerationNotMatch != null) {
      if (ifGenerationNotMatch == 0
          ? current.isEmpty()
          : current.isPresent() && current.get().generation() == ifGenerationNotMatch) {
        return "At least one of the pre-conditions you specified did not hold:"
            + " ifGenerationNotMatch="
            + ifGenerationNotMatch;
      }
    }
    if (ifMetagenerationMatch != null
        && (current.isEmpty() || current.get().metageneration() != ifMetagenerationMatch)) {
      return "At least one of the pre-conditions you specified did not hold:"
          + " ifMetagenerationMatch="
          + ifMetagenerationMatch;
    }
    if (ifMetagenerationNotMatch != null
        && current.isPresent()
        && current.get().metageneration() == ifMetagenerationNotMatch) {
      return "At least one of the pre-conditions you specified did not hold:"
          + " ifMetagenerationNotMatch="
          + ifMetagenerationNotMatch;
    }
    return null;
  }
}
