package io.batchdrop.localstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * {@code ./batchdrop demo FILE} uploads FILE under a name submit takes: submit ignores objects not
 * named {@code *.jsonl}, and the demo would wait its four minutes for a run that never comes.
 */
class DemoObjectNameTest {

  @Test
  void aFileNotNamedJsonlIsUploadedUnderItsNameWithJsonlAddedSoSubmitTakesIt() {
    assertThat(Demo.objectName(Path.of("/data/requests.json"))).isEqualTo("requests.json.jsonl");
    assertThat(Demo.objectName(Path.of("batch"))).isEqualTo("batch.jsonl");
  }

  @Test
  void aJsonlFileKeepsItsName() {
    assertThat(Demo.objectName(Path.of("dir/mine.jsonl"))).isEqualTo("mine.jsonl");
  }
}
