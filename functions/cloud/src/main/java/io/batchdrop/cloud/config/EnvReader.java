package io.batchdrop.cloud.config;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/** Reads typed values out of an environment map, failing with a message that names the variable. */
final class EnvReader {
  private final Map<String, String> env;

  EnvReader(Map<String, String> env) {
    this.env = env;
  }

  Optional<String> optional(String name) {
    String value = env.get(name);
    return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.trim());
  }

  String required(String name, String meaning) {
    return optional(name)
        .orElseThrow(() -> new ConfigException(name + " is not set; expected " + meaning));
  }

  String string(String name, String fallback) {
    return optional(name).orElse(fallback);
  }

  long longValue(String name, long fallback, long min, long max) {
    return parse(
        name,
        fallback,
        Long::parseLong,
        v -> v >= min && v <= max,
        "an integer from " + min + " to " + max);
  }

  int intValue(String name, int fallback, int min, int max) {
    return parse(
        name,
        fallback,
        Integer::parseInt,
        v -> v >= min && v <= max,
        "an integer from " + min + " to " + max);
  }

  double doubleValue(String name, double fallback, double min, double max) {
    return parse(
        name,
        fallback,
        Double::parseDouble,
        v -> v >= min && v <= max,
        "a number from " + min + " to " + max);
  }

  /** {@code true} or {@code false} (any case); anything else is refused, not read as false. */
  boolean flag(String name, boolean fallback) {
    return parse(
        name,
        fallback,
        v -> v.equalsIgnoreCase("true") ? Boolean.TRUE : v.equalsIgnoreCase("false") ? false : null,
        v -> v != null,
        "true or false");
  }

  /** A comma-separated list; blanks and repeats dropped, order kept. */
  List<String> list(String name) {
    return optional(name)
        .map(v -> Arrays.stream(v.split(",")).map(String::trim).filter(s -> !s.isEmpty()))
        .map(values -> values.distinct().toList())
        .orElse(List.of());
  }

  private <T> T parse(
      String name,
      T fallback,
      Function<String, T> parser,
      java.util.function.Predicate<T> valid,
      String expected) {
    Optional<String> raw = optional(name);
    if (raw.isEmpty()) {
      return fallback;
    }
    T value;
    try {
      value = parser.apply(raw.get());
    } catch (NumberFormatException e) {
      throw new ConfigException(name + " is \"" + raw.get() + "\"; expected " + expected);
    }
    if (!valid.test(value)) {
      throw new ConfigException(name + " is " + raw.get() + "; expected " + expected);
    }
    return value;
  }
}
