package io.batchdrop.emulator.vertex;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.google.cloud.aiplatform.v1.BatchPredictionJob;
import com.google.cloud.storage.Blob;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A row whose answer is tens of megabytes, as a reader of the output must survive. */
class HugeResponseTest {
  @RegisterExtension static final FreshVertex VERTEX = new FreshVertex();

  private final LocalVertex local = VERTEX.local();

  @Test
  void aHugeResponseMarkerWritesAnAnswerOfThirtyTwoMebibytesBesideOrdinaryRows() {
    BatchPredictionJob job =
        local.run(
            "job-a",
            List.of(
                InputLines.prompt("small", "hi"),
                InputLines.prompt("huge", "tell me everything [vertex:huge-response]")));

    Blob file =
        local.storage.get(
            LocalVertex.BUCKET,
            job.getOutputInfo().getGcsOutputDirectory().substring("gs://work/".length())
                + "/predictions.jsonl");
    assertThat(file.getSize()).isGreaterThan(32L * 1024 * 1024);
    List<String> lines = local.outputLines(job);
    String hugeLine = lines.stream().filter(line -> line.length() > 1000).findFirst().orElseThrow();
    // A reader of the output must know this: Jackson's default limit is 20,000,000 characters.
    assertThatThrownBy(() -> new ObjectMapper().readTree(hugeLine))
        .isInstanceOf(StreamConstraintsException.class);
    Map<String, JsonNode> rows =
        lines.stream()
            .map(HugeResponseTest::parseUnlimited)
            .collect(Collectors.toMap(row -> row.path("key").asText(), Function.identity()));
    String text = rows.get("huge").at("/response/candidates/0/content/parts/0/text").asText();
    assertThat(text).hasSize(VertexKnobs.DEFAULT_HUGE_RESPONSE_CHARS);
    assertThat(text)
        .startsWith("echo: tell me everything [vertex:huge-response]" + GeneratedText.FILLER);
    assertThat(rows.get("huge").at("/response/usageMetadata/candidatesTokenCount").asLong())
        .isEqualTo(VertexKnobs.DEFAULT_HUGE_RESPONSE_CHARS / 4);
    assertThat(rows.get("huge").at("/response/candidates/0/finishReason").asText())
        .isEqualTo("STOP");
    assertThat(rows.get("small").at("/response/candidates/0/content/parts/0/text").asText())
        .isEqualTo("echo: hi");
  }

  @Test
  void theSizeOfAHugeResponseIsAKnobAndTheTextEndsWithTheFiller() {
    local.vertex.knobs().hugeResponseChars(1000);

    JsonNode row =
        local
            .outputRows(
                local.run("job-a", List.of(InputLines.prompt("k", "[vertex:huge-response]"))))
            .get(0);

    String text = row.at("/response/candidates/0/content/parts/0/text").asText();
    assertThat(text).hasSize(1000);
    GeneratedText expected = new GeneratedText("echo: [vertex:huge-response]", 1000);
    for (int i = 0; i < text.length(); i++) {
      assertThat(text.charAt(i)).isEqualTo(expected.charAt(i));
    }
  }

  private static JsonNode parseUnlimited(String line) {
    ObjectMapper mapper =
        JsonMapper.builder(
                JsonFactory.builder()
                    .streamReadConstraints(
                        StreamReadConstraints.builder().maxStringLength(Integer.MAX_VALUE).build())
                    .build())
            .build();
    try {
      return mapper.readTree(line);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Test
  void aHugeResponseNeverCutsItsOwnPrompt() {
    local.vertex.knobs().hugeResponseChars(5);

    JsonNode row =
        local
            .outputRows(
                local.run("job-a", List.of(InputLines.prompt("k", "[vertex:huge-response]"))))
            .get(0);

    assertThat(row.at("/response/candidates/0/content/parts/0/text").asText())
        .isEqualTo("echo: [vertex:huge-response]");
  }
}
