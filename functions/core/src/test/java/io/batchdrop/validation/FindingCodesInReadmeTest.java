package io.batchdrop.validation;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The README's table of finding codes is the one users read and scripts key on: it lists every rule
 * with its severity and backends, and no code the validator does not have.
 */
class FindingCodesInReadmeTest {
  private static final Path README = Path.of("..", "..", "README.md");
  private static final Pattern ROW =
      Pattern.compile("^\\| `([a-z0-9-]+)` \\| (error|warning) \\| (both|vertex|gemini-api) \\|");

  @Test
  void theReadmeListsEveryRuleWithItsSeverityAndBackendsAndNoOther() throws Exception {
    Map<String, String> documented = new TreeMap<>();
    for (String line : Files.readAllLines(README)) {
      Matcher row = ROW.matcher(line);
      if (row.find()) {
        documented.put(row.group(1), row.group(2) + " " + row.group(3));
      }
    }

    Map<String, String> rules = new TreeMap<>();
    for (Rule rule : Rule.values()) {
      rules.put(rule.code(), rule.severity().label() + " " + backends(rule));
    }
    assertThat(documented).as("the finding table in %s", README).isEqualTo(rules);
  }

  private static String backends(Rule rule) {
    if (rule.backends().size() == Backend.values().length) {
      return "both";
    }
    return Arrays.stream(Backend.values())
        .filter(rule::appliesTo)
        .map(Backend::id)
        .findFirst()
        .orElseThrow();
  }
}
