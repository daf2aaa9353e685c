package io.batchdrop.emulator.vertex;

import com.google.cloud.aiplatform.v1.BatchPredictionJob;
import io.grpc.Status;
import java.util.Map;
import java.util.regex.Pattern;

/** Rejects a create request the way Vertex does: INVALID_ARGUMENT naming the bad field. */
final class CreateJobValidator {

  private static final int MAX_DISPLAY_NAME = 128;
  private static final int MAX_LABELS = 64;
  private static final Pattern LABEL_KEY =
      Pattern.compile("[\\p{Ll}\\p{Lo}][\\p{Ll}\\p{Lo}\\p{N}_-]{0,63}");
  private static final Pattern LABEL_VALUE = Pattern.compile("[\\p{Ll}\\p{Lo}\\p{N}_-]{0,64}");

  private CreateJobValidator() {}

  static void validate(BatchPredictionJob job) {
    if (job.getDisplayName().isBlank()) {
      throw invalid("batch_prediction_job.display_name is required.");
    }
    if (job.getDisplayName().length() > MAX_DISPLAY_NAME) {
      throw invalid(
          "batch_prediction_job.display_name must be at most " + MAX_DISPLAY_NAME + " characters.");
    }
    if (job.getModel().isBlank()) {
      throw invalid("batch_prediction_job.model is required.");
    }
    validateInput(job);
    validateOutput(job);
    validateLabels(job.getLabelsMap());
  }

  private static void validateInput(BatchPredictionJob job) {
    if (!job.hasInputConfig()) {
      throw invalid("batch_prediction_job.input_config is required.");
    }
    String format = job.getInputConfig().getInstancesFormat();
    if (format.isEmpty()) {
      throw invalid("batch_prediction_job.input_config.instances_format is required.");
    }
    if (!format.equals("jsonl")) {
      throw invalid(
          "Unsupported instances format \""
              + format
              + "\": this emulator reads \"jsonl\" from Cloud Storage.");
    }
    if (!job.getInputConfig().hasGcsSource()
        || job.getInputConfig().getGcsSource().getUrisCount() == 0) {
      throw invalid("batch_prediction_job.input_config.gcs_source.uris is required.");
    }
    for (String uri : job.getInputConfig().getGcsSource().getUrisList()) {
      if (!GcsUri.isValid(uri) || GcsUri.parse(uri).object().isEmpty()) {
        throw invalid(
            "Invalid Cloud Storage input uri \"" + uri + "\": expected gs://bucket/object.");
      }
    }
  }

  private static void validateOutput(BatchPredictionJob job) {
    if (!job.hasOutputConfig()) {
      throw invalid("batch_prediction_job.output_config is required.");
    }
    String format = job.getOutputConfig().getPredictionsFormat();
    if (format.isEmpty()) {
      throw invalid("batch_prediction_job.output_config.predictions_format is required.");
    }
    if (!format.equals("jsonl")) {
      throw invalid(
          "Unsupported predictions format \""
              + format
              + "\": this emulator writes \"jsonl\" to Cloud Storage.");
    }
    if (!job.getOutputConfig().hasGcsDestination()
        || job.getOutputConfig().getGcsDestination().getOutputUriPrefix().isEmpty()) {
      throw invalid(
          "batch_prediction_job.output_config.gcs_destination.output_uri_prefix is required.");
    }
    String prefix = job.getOutputConfig().getGcsDestination().getOutputUriPrefix();
    if (!GcsUri.isValid(prefix)) {
      throw invalid(
          "Invalid Cloud Storage output uri prefix \"" + prefix + "\": expected gs://bucket/path.");
    }
  }

  private static void validateLabels(Map<String, String> labels) {
    if (labels.size() > MAX_LABELS) {
      throw invalid("At most " + MAX_LABELS + " labels are allowed.");
    }
    labels.forEach(
        (key, value) -> {
          if (!LABEL_KEY.matcher(key).matches()) {
            throw invalid(
                "Invalid label key \""
                    + key
                    + "\": 1-64 lowercase letters, digits, '_' or '-', starting with a letter.");
          }
          if (!LABEL_VALUE.matcher(value).matches()) {
            throw invalid(
                "Invalid label value \""
                    + value
                    + "\" for key \""
                    + key
                    + "\": at most 64 lowercase letters, digits, '_' or '-'.");
          }
        });
  }

  private static RuntimeException invalid(String message) {
    return Status.INVALID_ARGUMENT.withDescription(message).asRuntimeException();
  }
}
