package io.batchdrop.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * {@code batchdrop --help} is the one screen that lists every command: each line of it says what
 * the command's own {@code --help} says it takes.
 */
class OverviewHelpTest {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();

  @Test
  void theOverviewShowsEachCommandWithTheOptionsOfItsOwnHelp() {
    assertThat(run("--help")).isZero();
    String overview = oneLine(out.toString(StandardCharsets.UTF_8));

    List<String> missing = new ArrayList<>();
    CommandLine commands = Main.commandLine(io(), Map.of());
    commands
        .getSubcommands()
        .forEach(
            (name, command) -> {
              for (String synopsis : command.getCommandSpec().usageMessage().customSynopsis()) {
                if (!overview.contains(oneLine(synopsis))) {
                  missing.add(oneLine(synopsis));
                }
              }
            });
    assertThat(missing).as("synopses of the commands' own --help not in the overview").isEmpty();
  }

  @Test
  void theOverviewNamesTheLauncherCommandsWhole() {
    assertThat(run("--help")).isZero();

    assertThat(out.toString(StandardCharsets.UTF_8))
        .contains("./batchdrop bench submit|poll|publish|coldstart")
        .doesNotContain(". /batchdrop")
        .doesNotContain("\n/batchdrop");
  }

  private static String oneLine(String text) {
    return text.replaceFirst("^\\s*usage: ", "").replaceAll("\\s+", " ").trim();
  }

  private int run(String... args) {
    return Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), System.err);
  }

  private Main.Io io() {
    return new Main.Io(
        new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
        System.err,
        false);
  }
}
