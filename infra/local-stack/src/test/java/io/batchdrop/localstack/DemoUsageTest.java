package io.batchdrop.localstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * {@code ./batchdrop demo} with a wrong flag value: refused with exit code 2 before anything
 * starts.
 */
class DemoUsageTest {

  @Test
  void anInvalidRowRatioThatIsNotANumberFromZeroToOneIsAUsageErrorBeforeTheStackStarts() {
    for (String ratio : new String[] {"abc", "5", "-0.1"}) {
      StringWriter err = new StringWriter();
      StringWriter out = new StringWriter();

      int code =
          new CommandLine(new Demo())
              .setErr(new PrintWriter(err, true))
              .setOut(new PrintWriter(out, true))
              .execute("--max-invalid-ratio", ratio);

      assertThat(code).as("exit code for --max-invalid-ratio " + ratio).isEqualTo(2);
      assertThat(err.toString().lines().findFirst().orElse(""))
          .contains("--max-invalid-ratio")
          .contains("\"" + ratio + "\" is not a number from 0 to 1");
      assertThat(out.toString()).as("nothing started").isEmpty();
    }
  }

  @Test
  void anUnknownBackendIsRefusedOnStderrWithTheUsageNotPrintedAsPartOfTheReport() {
    StringWriter err = new StringWriter();
    StringWriter out = new StringWriter();

    int code =
        new CommandLine(new Demo())
            .setErr(new PrintWriter(err, true))
            .setOut(new PrintWriter(out, true))
            .execute("--backend", "vertexai");

    assertThat(code).isEqualTo(2);
    assertThat(err.toString())
        .startsWith(
            "Invalid value for option '--backend': \"vertexai\"; expected vertex or gemini-api")
        .contains("Usage: demo");
    assertThat(out.toString()).as("the report's stream").isEmpty();
  }
}
