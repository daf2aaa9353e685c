package io.batchdrop.cloud.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.batchdrop.cloud.config.BatchdropConfig.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The README's "Configuration" table is what an operator sets a deployment by: every variable a
 * function reads is in it, with the functions that read it and its default, and nothing else is.
 */
class ConfigurationInReadmeTest {
  private static final Path README = Path.of("..", "..", "README.md");
  private static final Pattern NAME = Pattern.compile("`([A-Z][A-Z0-9_]+)`");
  private static final Pattern SIZE = Pattern.compile("(\\d+) (GiB|MiB)");

  /** One row of the table, for each variable it names. */
  private record Documented(String name, String defaultValue, Set<Reader> readBy) {}

  @Test
  void theTableNamesEveryVariableTheFunctionsReadAndNoOther() throws Exception {
    Set<String> read = new TreeSet<>();
    for (Reader reader : Reader.values()) {
      read.addAll(readBy(reader, minimal()).keySet());
      read.addAll(readBy(reader, withOlderProjectName()).keySet());
    }

    Set<String> documented = documented().keySet();
    Set<String> lacking = new TreeSet<>(read);
    lacking.removeAll(documented);
    Set<String> extra = new TreeSet<>(documented);
    extra.removeAll(read);
    assertThat(lacking)
        .as("variables the functions read that the Configuration table of %s lacks", README)
        .isEmpty();
    assertThat(extra)
        .as("variables in the Configuration table of %s that no function reads", README)
        .isEmpty();
  }

  @Test
  void eachVariableIsReadByTheFunctionsItsRowNames() throws Exception {
    Map<String, Set<Reader>> readers = new TreeMap<>();
    for (Reader reader : Reader.values()) {
      for (String name : readBy(reader, minimal()).keySet()) {
        readers.computeIfAbsent(name, n -> EnumSet.noneOf(Reader.class)).add(reader);
      }
    }
    List<String> wrong = new ArrayList<>();
    for (Documented row : documented().values()) {
      Set<Reader> actual = readers.get(row.name());
      if (actual != null && !actual.equals(row.readBy())) {
        wrong.add(row.name() + " is documented as read by " + row.readBy() + ", read by " + actual);
      }
    }

    assertThat(wrong).as("the \"read by\" column of %s", README).isEmpty();
  }

  @Test
  void eachDocumentedDefaultIsWhatTheFunctionsUseWhenTheVariableIsUnset() throws Exception {
    List<String> wrong = new ArrayList<>();
    for (Documented row : documented().values()) {
      if (row.defaultValue().equals("(required)")) {
        Map<String, String> env = minimal();
        env.remove(row.name());
        for (Reader reader : row.readBy()) {
          assertThatThrownBy(() -> BatchdropConfig.forFunction(reader, env))
              .as("%s without %s, documented as required", reader, row.name())
              .isInstanceOf(ConfigException.class)
              .hasMessageStartingWith(row.name() + " is not set");
        }
        continue;
      }
      String value = literal(row.defaultValue());
      if (value == null) {
        continue; // a default described in words ("the default model", "built in")
      }
      Map<String, String> env = minimal();
      env.put(row.name(), value);
      try {
        if (!BatchdropConfig.fromEnvironment(env)
            .equals(BatchdropConfig.fromEnvironment(minimal()))) {
          wrong.add(row.name() + "=" + value + " is not what the functions use when it is unset");
        }
      } catch (ConfigException e) {
        wrong.add(row.name() + "=" + value + " is refused: " + e.getMessage());
      }
    }
    assertThat(wrong).as("defaults in %s that the code does not use", README).isEmpty();
  }

  /** The table's rows, by variable: a row naming several variables gives each its columns. */
  private static Map<String, Documented> documented() throws Exception {
    List<String> lines = Files.readAllLines(README);
    int start = lines.indexOf("## Configuration");
    assertThat(start).as("a \"## Configuration\" section in %s", README).isNotNegative();
    Map<String, Documented> rows = new TreeMap<>();
    for (String line : lines.subList(start + 1, lines.size())) {
      if (line.startsWith("## ")) {
        break;
      }
      if (!line.startsWith("| `")) {
        continue;
      }
      String[] cells = line.split(" \\| ");
      Matcher names = NAME.matcher(cells[0]);
      while (names.find()) {
        Documented row = new Documented(names.group(1), cells[1].trim(), readers(cells[2]));
        assertThat(rows.put(row.name(), row)).as("%s in two rows", row.name()).isNull();
      }
    }
    return rows;
  }

  /** "all", or a comma list of function names; words in parentheses only qualify it. */
  private static Set<Reader> readers(String cell) {
    String names = cell.replaceAll("\\(.*\\)", "").trim();
    if (names.equals("all")) {
      return EnumSet.allOf(Reader.class);
    }
    Set<Reader> readers = EnumSet.noneOf(Reader.class);
    for (String name : names.split(",")) {
      readers.add(Reader.valueOf(name.trim().toUpperCase()));
    }
    return readers;
  }

  /** The value a default cell gives, or null when it describes one in words or means unset. */
  private static String literal(String cell) {
    if (cell.startsWith("`")) {
      return cell.substring(1, cell.indexOf('`', 1));
    }
    Matcher size = SIZE.matcher(cell);
    if (size.matches()) {
      int shift = size.group(2).equals("GiB") ? 30 : 20;
      return Long.toString(Long.parseLong(size.group(1)) << shift);
    }
    return null;
  }

  /** Every variable {@code reader} asks for when it starts with {@code env}. */
  private static Map<String, String> readBy(Reader reader, Map<String, String> env) {
    Map<String, String> asked = new TreeMap<>();
    Map<String, String> recording =
        new HashMap<>(env) {
          @Override
          public String get(Object key) {
            asked.put((String) key, "");
            return super.get(key);
          }
        };
    BatchdropConfig.forFunction(reader, recording);
    return asked;
  }

  private static Map<String, String> minimal() {
    return BatchdropConfigTest.minimal();
  }

  /** The project under the name older Cloud Functions runtimes set, read when the other is not. */
  private static Map<String, String> withOlderProjectName() {
    Map<String, String> env = minimal();
    env.put("GCP_PROJECT", env.remove("GOOGLE_CLOUD_PROJECT"));
    return env;
  }
}
