package io.batchdrop.cloud.results;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Subscribers filter result messages by attribute: the README's "Message contracts" names every
 * attribute a result message may carry, and no other.
 */
class ResultContractsInReadmeTest {
  private static final Path README = Path.of("..", "..", "README.md");
  private static final Pattern ATTRIBUTE = Pattern.compile("`([a-z][a-z_]*)`");

  @Test
  void theAttributesBulletNamesEveryAttributeAResultMessageCarries() throws Exception {
    Set<String> sent =
        new TreeSet<>(
            RowResult.attributes(
                    "0123456789abcdef0123",
                    "0123456789abcdef0123-s1-a1",
                    1,
                    "greeting",
                    RowStatus.SUCCEEDED,
                    1,
                    "gemini-2.5-flash",
                    "STOP",
                    "gs://inbox/x.jsonl",
                    "0123456789abcdef0123/1/1")
                .getAttributesMap()
                .keySet());

    assertThat(documented()).as("the result attributes in %s", README).isEqualTo(sent);
  }

  /** The backticked names of the results topic's "- attributes:" bullet, statuses aside. */
  private static Set<String> documented() throws Exception {
    List<String> lines = Files.readAllLines(README);
    int start = lines.indexOf("## Message contracts");
    assertThat(start).as("a \"## Message contracts\" section in %s", README).isNotNegative();
    int bullet = start;
    while (!lines.get(bullet).startsWith("- attributes: ")) {
      bullet++;
    }
    StringBuilder text = new StringBuilder(lines.get(bullet));
    for (int i = bullet + 1; lines.get(i).startsWith("  "); i++) {
      text.append(' ').append(lines.get(i));
    }
    Set<String> statuses = new TreeSet<>();
    Arrays.stream(RowStatus.values()).forEach(s -> statuses.add(s.label()));
    Set<String> names = new TreeSet<>();
    ATTRIBUTE.matcher(text).results().map(m -> m.group(1)).forEach(names::add);
    names.removeAll(statuses);
    return names;
  }
}
