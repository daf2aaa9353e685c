package io.batchdrop.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProcessTreeTest {

  @Test
  void stopsAParentAndTheChildrenItSpawned() throws IOException {
    Process shell = startAndAwaitLine("sleep 600 & sleep 600 & echo started; wait");
    List<ProcessHandle> tree = ProcessTree.snapshot(shell.toHandle());
    assertThat(tree).hasSize(3);

    List<ProcessHandle> survivors = ProcessTree.stop(shell.toHandle(), Duration.ofSeconds(5));

    assertThat(survivors).isEmpty();
    assertThat(tree).noneMatch(ProcessHandle::isAlive);
  }

  @Test
  void killsProcessesThatIgnoreTheTerminationSignal() throws IOException {
    // An ignored signal stays ignored in the children, so the whole tree shrugs off SIGTERM.
    Process shell = startAndAwaitLine("trap '' TERM; sleep 600 & echo started; wait");
    List<ProcessHandle> tree = ProcessTree.snapshot(shell.toHandle());

    List<ProcessHandle> survivors = ProcessTree.stop(shell.toHandle(), Duration.ofMillis(200));

    assertThat(survivors).isEmpty();
    assertThat(tree).hasSize(2).noneMatch(ProcessHandle::isAlive);
  }

  private static Process startAndAwaitLine(String script) throws IOException {
    Process shell = new ProcessBuilder("sh", "-c", script).redirectErrorStream(true).start();
    BufferedReader output =
        new BufferedReader(new InputStreamReader(shell.getInputStream(), StandardCharsets.UTF_8));
    assertThat(output.readLine()).isEqualTo("started");
    return shell;
  }
}
