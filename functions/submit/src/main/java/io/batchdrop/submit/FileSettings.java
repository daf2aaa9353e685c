package io.batchdrop.submit;

import io.batchdrop.cloud.config.BatchdropConfig;
import io.batchdrop.validation.Policy;
import io.batchdrop.validation.ValidationPolicy;
import java.util.Locale;
import java.util.Optional;

/**
 * The model, validation policy and batch backend for one file: the deployment defaults, overridden
 * by the object metadata {@code batchdrop-model}, {@code batchdrop-policy} and {@code
 * batchdrop-backend} (within {@code BATCHDROP_ALLOWED_BACKENDS}).
 */
record FileSettings(String model, ValidationPolicy policy, String backend) {
  static final String MODEL_METADATA = "batchdrop-model";
  static final String POLICY_METADATA = "batchdrop-policy";
  static final String BACKEND_METADATA = "batchdrop-backend";

  /** Why the file cannot be processed as asked; empty when the settings are fine. */
  static Optional<String> problem(UploadedObject object, BatchdropConfig config) {
    String model = object.metadata().get(MODEL_METADATA);
    if (model != null && !config.submit().models().isAllowed(model.trim())) {
      return Optional.of(
          "model \""
              + model.trim()
              + "\" (object metadata "
              + MODEL_METADATA
              + ") is not allowed here; allowed: "
              + String.join(", ", config.submit().models().allowed()));
    }
    String backend = object.metadata().get(BACKEND_METADATA);
    if (backend != null && !config.backends().isAllowed(backend.trim())) {
      return Optional.of(
          "backend \""
              + backend.trim()
              + "\" (object metadata "
              + BACKEND_METADATA
              + ") is not allowed here; allowed: "
              + String.join(", ", config.backends().allowed()));
    }
    String policy = object.metadata().get(POLICY_METADATA);
    if (policy != null) {
      String value = policy.trim().toLowerCase(Locale.ROOT);
      if (!value.equals("lenient") && !value.equals("strict")) {
        return Optional.of(
            "policy \""
                + policy.trim()
                + "\" (object metadata "
                + POLICY_METADATA
                + ") is not known; expected lenient or strict");
      }
    }
    return Optional.empty();
  }

  /** Call after {@link #problem} found none. */
  static FileSettings of(UploadedObject object, BatchdropConfig config) {
    String model =
        Optional.ofNullable(object.metadata().get(MODEL_METADATA))
            .map(String::trim)
            .orElse(config.submit().models().defaultModel());
    Policy policy =
        Optional.ofNullable(object.metadata().get(POLICY_METADATA))
            .map(Policy::parse)
            .orElse(config.submit().policy());
    String backend =
        Optional.ofNullable(object.metadata().get(BACKEND_METADATA))
            .map(String::trim)
            .orElse(config.backends().defaultBackend());
    return new FileSettings(
        model, new ValidationPolicy(policy, config.submit().maxInvalidRatio()), backend);
  }
}
