package io.batchdrop.localstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code ./batchdrop demo FILE} with a FILE it cannot read: one line, exit code 2, no stack. */
class DemoFileTest {

  @Test
  void aFileThatDoesNotExistIsRefusedInOneLineWithExitCode2BeforeAnythingStarts(@TempDir Path dir) {
    Path missing = dir.resolve("missing.jsonl");
    StringWriter err = new StringWriter();
    StringWriter out = new StringWriter();

    int code =
        new CommandLine(new Demo())
            .setErr(new PrintWriter(err, true))
            .setOut(new PrintWriter(out, true))
            .execute(missing.toString());

    assertThat(code).isEqualTo(2);
    assertThat(err.toString())
        .isEqualTo("batchdrop: cannot read " + missing + ": no such file" + System.lineSeparator());
    assertThat(out.toString()).isEmpty();
  }

  @Test
  void aDirectoryIsRefusedTheSameWay(@TempDir Path dir) {
    StringWriter err = new StringWriter();

    int code =
        new CommandLine(new Demo()).setErr(new PrintWriter(err, true)).execute(dir.toString());

    assertThat(code).isEqualTo(2);
    assertThat(err.toString())
        .isEqualTo("batchdrop: cannot read " + dir + ": is a directory" + System.lineSeparator());
  }
}
