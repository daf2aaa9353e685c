package io.batchdrop.emulator.vertex;

import com.google.cloud.aiplatform.v1.BatchPredictionJob;
import com.google.cloud.aiplatform.v1.JobState;
import com.google.protobuf.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * The fields a list filter may test (reference §4.5): {@code display_name} and {@code
 * model_display_name} ({@code =}, {@code !=}, {@code :} with {@code *} wildcards), {@code state}
 * ({@code =}, {@code !=}), {@code create_time}, {@code update_time}, {@code start_time}, {@code
 * end_time} (comparisons with RFC 3339 values) and {@code labels.KEY} ({@code =}, {@code !=},
 * {@code :*} for "has the label").
 */
final class JobFilterFields {

  private JobFilterFields() {}

  static Predicate<BatchPredictionJob> restriction(String field, String operator, String value) {
    if (field.startsWith("labels.") && field.length() > "labels.".length()) {
      String key = field.substring("labels.".length());
      return label(key, operator, value);
    }
    return switch (field) {
      case "display_name" -> text(field, BatchPredictionJob::getDisplayName, operator, value);
      case "model_display_name" ->
          text(field, job -> ModelCatalog.modelId(job.getModel()), operator, value);
      case "state" -> state(operator, value);
      case "create_time" -> time(field, BatchPredictionJob::getCreateTime, operator, value);
      case "update_time" -> time(field, BatchPredictionJob::getUpdateTime, operator, value);
      case "start_time" ->
          time(field, job -> job.hasStartTime() ? job.getStartTime() : null, operator, value);
      case "end_time" ->
          time(field, job -> job.hasEndTime() ? job.getEndTime() : null, operator, value);
      default -> throw FilterParser.invalid("unsupported field \"" + field + "\"");
    };
  }

  private static Predicate<BatchPredictionJob> label(String key, String operator, String value) {
    return switch (operator) {
      case "=" -> job -> value.equals(job.getLabelsMap().get(key));
      case "!=" -> job -> !value.equals(job.getLabelsMap().get(key));
      case ":" ->
          value.equals("*")
              ? job -> job.getLabelsMap().containsKey(key)
              : job ->
                  job.getLabelsMap().containsKey(key)
                      && glob(value).matcher(job.getLabelsMap().get(key)).matches();
      default -> throw unsupported("labels." + key, operator);
    };
  }

  private static Predicate<BatchPredictionJob> text(
      String field, Function<BatchPredictionJob, String> get, String operator, String value) {
    return switch (operator) {
      case "=" -> job -> get.apply(job).equals(value);
      case "!=" -> job -> !get.apply(job).equals(value);
      case ":" -> {
        Pattern pattern = glob(value);
        yield job -> pattern.matcher(get.apply(job)).matches();
      }
      default -> throw unsupported(field, operator);
    };
  }

  private static Predicate<BatchPredictionJob> state(String operator, String value) {
    JobState state;
    try {
      state = JobState.valueOf(value);
    } catch (IllegalArgumentException e) {
      state = JobState.UNRECOGNIZED;
    }
    if (state == JobState.UNRECOGNIZED) {
      throw FilterParser.invalid("unknown state \"" + value + "\"");
    }
    int number = state.getNumber();
    return switch (operator) {
      case "=" -> job -> job.getStateValue() == number;
      case "!=" -> job -> job.getStateValue() != number;
      default -> throw unsupported("state", operator);
    };
  }

  private static Predicate<BatchPredictionJob> time(
      String field, Function<BatchPredictionJob, Timestamp> get, String operator, String value) {
    Instant bound;
    try {
      bound = OffsetDateTime.parse(value).toInstant();
    } catch (DateTimeParseException e) {
      throw FilterParser.invalid("\"" + value + "\" is not an RFC 3339 time for " + field);
    }
    Predicate<Integer> accepts =
        switch (operator) {
          case "=" -> c -> c == 0;
          case "!=" -> c -> c != 0;
          case "<" -> c -> c < 0;
          case "<=" -> c -> c <= 0;
          case ">" -> c -> c > 0;
          case ">=" -> c -> c >= 0;
          default -> throw unsupported(field, operator);
        };
    return job -> {
      Timestamp time = get.apply(job);
      return time != null && accepts.test(Times.instant(time).compareTo(bound));
    };
  }

  private static Pattern glob(String value) {
    StringBuilder regex = new StringBuilder();
    for (String piece : value.split("\\*", -1)) {
      if (regex.length() > 0) {
        regex.append(".*");
      }
      regex.append(Pattern.quote(piece));
    }
    return Pattern.compile(regex.toString(), Pattern.DOTALL);
  }

  private static RuntimeException unsupported(String field, String operator) {
    return FilterParser.invalid("operator \"" + operator + "\" is not supported for " + field);
  }
}
