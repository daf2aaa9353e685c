package io.batchdrop.cloud.gemini;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class GeminiLinesTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void theGeminiCopyNamesTheRowInItsKeyAndLeavesOutWhatTheGeminiApiDoesNotHave() throws Exception {
    String staged =
        "{\"key\":\"doc-7\",\"request\":{\"contents\":[{\"role\":\"user\",\"parts\":["
            + "{\"fileData\":{\"fileUri\":\"https://generativelanguage.googleapis.com/v1beta/files/f1\","
            + "\"mimeType\":\"application/pdf\",\"displayName\":\"r.pdf\"}},"
            + "{\"inline_data\":{\"mime_type\":\"image/png\",\"data\":\"aGk=\",\"display_name\":\"a.png\"}},"
            + "{\"text\":\"x\"}]}],"
            + "\"systemInstruction\":{\"parts\":[{\"text\":\"be brief\"}]},"
            + "\"labels\":{\"batchdrop_row\":\"row-7\",\"team\":\"ml\"}}}";

    JsonNode line =
        JSON.readTree(new GeminiLines().rewrite(staged.getBytes(StandardCharsets.UTF_8), 0));

    assertThat(line.path("key").asText()).isEqualTo("row-7");
    JsonNode request = line.path("request");
    assertThat(request.has("labels")).isFalse();
    JsonNode parts = request.at("/contents/0/parts");
    assertThat(parts.at("/0/fileData").has("displayName")).isFalse();
    assertThat(parts.at("/0/fileData/mimeType").asText()).isEqualTo("application/pdf");
    assertThat(parts.at("/1/inline_data").has("display_name")).isFalse();
    assertThat(parts.at("/1/inline_data/data").asText()).isEqualTo("aGk=");
    assertThat(parts.at("/2/text").asText()).isEqualTo("x");
    assertThat(request.at("/systemInstruction/parts/0/text").asText()).isEqualTo("be brief");
  }
}
