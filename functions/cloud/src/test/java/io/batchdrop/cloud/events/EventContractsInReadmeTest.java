package io.batchdrop.cloud.events;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.lang.reflect.Constructor;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Subscribers key on the README's "Message contracts": every event type is listed there with
 * exactly the fields its data carries, in the record's order.
 */
class EventContractsInReadmeTest {
  private static final Path README = Path.of("..", "..", "README.md");
  private static final Pattern EVENT =
      Pattern.compile("^- `([a-z]+\\.[a-z_]+)`: ((?:`[A-Za-z]+`(?:, )?)+)");
  private static final Pattern FIELD = Pattern.compile("`([A-Za-z]+)`");

  @Test
  void eachEventTypeIsListedWithTheFieldsOfItsData() throws Exception {
    Map<String, List<String>> sent = new TreeMap<>();
    for (Class<?> type : LifecycleEvent.class.getPermittedSubclasses()) {
      sent.put(instance(type).type(), dataFields(type));
    }

    Map<String, List<String>> documented = documented();
    List<String> wrong = new ArrayList<>();
    sent.forEach(
        (type, fields) -> {
          if (!fields.equals(documented.get(type))) {
            wrong.add(type + " is documented with " + documented.get(type) + ", sends " + fields);
          }
        });
    documented.keySet().stream()
        .filter(type -> !sent.containsKey(type))
        .forEach(type -> wrong.add(type + " is documented but no record sends it"));
    assertThat(wrong).as("the events in the Message contracts of %s", README).isEmpty();
  }

  private static Map<String, List<String>> documented() throws Exception {
    List<String> lines = Files.readAllLines(README);
    int start = lines.indexOf("## Message contracts");
    assertThat(start).as("a \"## Message contracts\" section in %s", README).isNotNegative();
    Map<String, List<String>> events = new TreeMap<>();
    for (String line : lines.subList(start + 1, lines.size())) {
      if (line.startsWith("## ")) {
        break;
      }
      Matcher event = EVENT.matcher(line);
      if (event.find()) {
        List<String> fields = new ArrayList<>();
        FIELD.matcher(event.group(2)).results().forEach(m -> fields.add(m.group(1)));
        events.put(event.group(1), fields);
      }
    }
    return events;
  }

  /** The record's components as its data carries them: those Jackson does not skip. */
  private static List<String> dataFields(Class<?> type) {
    return Arrays.stream(type.getRecordComponents())
        .filter(c -> !c.getAccessor().isAnnotationPresent(JsonIgnore.class))
        .map(RecordComponent::getName)
        .toList();
  }

  /** Any instance, for its {@code type()}: nulls and zeros. */
  private static LifecycleEvent instance(Class<?> type) throws Exception {
    RecordComponent[] components = type.getRecordComponents();
    Class<?>[] types =
        Arrays.stream(components).map(RecordComponent::getType).toArray(Class[]::new);
    Object[] values = new Object[types.length];
    for (int i = 0; i < types.length; i++) {
      values[i] =
          types[i] == int.class
              ? 0
              : types[i] == long.class ? 0L : types[i] == boolean.class ? false : null;
    }
    Constructor<?> canonical = type.getDeclaredConstructor(types);
    return (LifecycleEvent) canonical.newInstance(values);
  }
}
