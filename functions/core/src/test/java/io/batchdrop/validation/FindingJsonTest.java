package io.batchdrop.validation;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FindingJsonTest {

  private static final Finding FINDING =
      Rule.ROLE_INVALID.at(7, 42, "request.contents[0].role", "role is \"bot\"; expected \"user\"");

  @Test
  void aFindingIsWrittenWithItsSixFieldsInTheDocumentedOrder() throws Exception {
    StringWriter out = new StringWriter();
    try (JsonGenerator g = new JsonFactory().createGenerator(out)) {
      FindingJson.write(FINDING, g);
    }

    assertThat(out.toString())
        .isEqualTo(
            "{\"line\":7,\"column\":42,\"code\":\"role-invalid\",\"path\":\"request.contents[0].role\","
                + "\"message\":\"role is \\\"bot\\\"; expected \\\"user\\\"\",\"severity\":\"error\"}");
  }

  @Test
  void theMapForFirestoreHoldsTheSameValuesAsTheJson() throws Exception {
    StringWriter out = new StringWriter();
    try (JsonGenerator g = new JsonFactory().createGenerator(out)) {
      FindingJson.write(FINDING, g);
    }
    Map<String, Object> map = FindingJson.toMap(FINDING);

    assertThat(map.keySet())
        .containsExactly("line", "column", "code", "path", "message", "severity");
    assertThat(new ObjectMapper().writeValueAsString(map)).isEqualTo(out.toString());
  }

  @Test
  void onlyTheFirstFindingsUpToTheLimitBecomeMaps() {
    Finding second = Rule.BLANK_LINE.at(8, 0, "", "the line is blank");

    assertThat(FindingJson.toMaps(List.of(FINDING, second), 1))
        .containsExactly(FindingJson.toMap(FINDING));
    assertThat(FindingJson.toMaps(List.of(FINDING, second), 5)).hasSize(2);
  }
}
