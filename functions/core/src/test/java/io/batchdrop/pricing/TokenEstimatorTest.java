package io.batchdrop.pricing;

import static org.assertj.core.api.Assertions.assertThat;

import io.batchdrop.validation.RequestValidator;
import io.batchdrop.validation.ValidationReport;
import io.batchdrop.validation.ValidatorConfig;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class TokenEstimatorTest {
  /** 10 characters -> 3 tokens; bound 100. */
  static final String TEN_CHARS =
      "{\"request\":{\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"abcdefghij\"}]}],"
          + "\"generationConfig\":{\"maxOutputTokens\":100}}}";

  /** 4 + 12 characters -> 4 tokens, one file part -> 258; no maxOutputTokens. */
  static final String WITH_FILE =
      "{\"request\":{\"systemInstruction\":{\"parts\":[{\"text\":\"1234\"}]},"
          + "\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"héllo wörld!\"},"
          + "{\"fileData\":{\"fileUri\":\"gs://my-bucket/cat.png\",\"mimeType\":\"image/png\"}}]}]}}";

  /** 5 emoji (10 UTF-16 units) -> 2 tokens; 2 candidates of at most 50. */
  static final String TWO_CANDIDATES =
      "{\"request\":{\"contents\":[{\"role\":\"user\",\"parts\":{\"text\":\"😀😀😀😀😀\"}}],"
          + "\"generationConfig\":{\"maxOutputTokens\":50,\"candidateCount\":2}}}";

  static final String BAD_ROLE =
      "{\"request\":{\"contents\":[{\"role\":\"tester\",\"parts\":[{\"text\":\"a long text that is not counted\"}]}]}}";

  @Test
  void aKnownFileGivesTheHandComputedTokensAndCost() throws IOException {
    TokenEstimate estimate =
        estimate("gemini-2.5-flash", TEN_CHARS, WITH_FILE, TWO_CANDIDATES, BAD_ROLE);

    assertThat(estimate.rows()).as("valid rows only").isEqualTo(3);
    assertThat(estimate.textCharacters()).isEqualTo(10 + 16 + 5);
    assertThat(estimate.mediaParts()).isEqualTo(1);
    assertThat(estimate.inputTokens()).isEqualTo(3 + (4 + 258) + 2);
    assertThat(estimate.outputTokensBound()).isEqualTo(100 + 65_536 + 2 * 50);
    assertThat(estimate.rowsAtModelMaximum()).isEqualTo(1);
    assertThat(estimate.rowsWithoutBound()).isZero();
    // batch: 267 x 0.30 / 1M x 0.5 = 0.00004005; 65,736 x 2.50 / 1M x 0.5 = 0.08217
    Cost batch = estimate.batchCost().orElseThrow();
    assertThat(batch.inputUsd()).isEqualByComparingTo("0.00004005");
    assertThat(batch.outputUsd()).isEqualByComparingTo("0.08217");
    assertThat(batch.totalUsd()).isEqualByComparingTo("0.08221005");
    assertThat(estimate.standardCost().orElseThrow().totalUsd()).isEqualByComparingTo("0.1644201");
  }

  @Test
  void eachRowPicksItsOwnLongContextTier() throws IOException {
    // One row of 800,004 characters = 200,001 tokens (long tier), one of 4 characters = 1 token.
    String longText = "x".repeat(800_004);
    String longRow =
        "{\"request\":{\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\""
            + longText
            + "\"}]}],\"generationConfig\":{\"maxOutputTokens\":1}}}";
    String shortRow =
        "{\"request\":{\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"abcd\"}]}],"
            + "\"generationConfig\":{\"maxOutputTokens\":1}}}";

    TokenEstimate estimate = estimate("gemini-2.5-pro", longRow, shortRow);

    // long: 200,001 x 2.50 / 1M x 0.5 = 0.25000125 and 1 x 15 / 1M x 0.5 = 0.0000075
    // short: 1 x 1.25 / 1M x 0.5 = 0.000000625 and 1 x 10 / 1M x 0.5 = 0.000005
    Cost batch = estimate.batchCost().orElseThrow();
    assertThat(batch.inputUsd()).isEqualByComparingTo("0.250001875");
    assertThat(batch.outputUsd()).isEqualByComparingTo("0.0000125");
  }

  @Test
  void anUnknownModelHasTokensButNoCostAndRowsWithoutABound() throws IOException {
    TokenEstimate estimate = estimate("gemini-9-ultra", TEN_CHARS, WITH_FILE);

    assertThat(estimate.inputTokens()).isEqualTo(3 + 262);
    assertThat(estimate.outputTokensBound()).isEqualTo(100);
    assertThat(estimate.rowsWithoutBound()).isEqualTo(1);
    assertThat(estimate.batchCost()).isEmpty();
    assertThat(estimate.standardCost()).isEmpty();
  }

  @Test
  void anEmptyFileEstimatesNothing() throws IOException {
    TokenEstimate estimate = estimate("gemini-2.5-flash");

    assertThat(estimate.rows()).isZero();
    assertThat(estimate.inputTokens()).isZero();
    assertThat(estimate.batchCost()).contains(Cost.ZERO);
  }

  @Test
  void snakeCaseFieldsCountLikeCamelCase() throws IOException {
    String row =
        "{\"request\":{\"system_instruction\":{\"parts\":[{\"text\":\"abcd\"}]},"
            + "\"contents\":[{\"role\":\"user\",\"parts\":[{\"inline_data\":{\"mimeType\":\"image/png\",\"data\":\"AAAA\"}}]}],"
            + "\"generation_config\":{\"max_output_tokens\":7,\"candidate_count\":3}}}";

    TokenEstimate estimate = estimate("gemini-2.5-flash", row);

    assertThat(estimate.inputTokens()).isEqualTo(1 + 258);
    assertThat(estimate.outputTokensBound()).isEqualTo(21);
  }

  private static TokenEstimate estimate(String model, String... lines) throws IOException {
    TokenEstimator estimator = new TokenEstimator(PriceTable.builtIn(), model);
    String text = lines.length == 0 ? "" : String.join("\n", lines) + "\n";
    ValidationReport report =
        new RequestValidator(ValidatorConfig.defaults())
            .validate(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), estimator);
    assertThat(report.rows()).isEqualTo(lines.length);
    return estimator.estimate();
  }
}
