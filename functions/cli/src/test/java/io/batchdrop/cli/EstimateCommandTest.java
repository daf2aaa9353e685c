package io.batchdrop.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EstimateCommandTest {
  /** 10 characters -> 3 tokens; at most 100 output tokens. */
  private static final String TEN_CHARS =
      "{\"request\":{\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"abcdefghij\"}]}],"
          + "\"generationConfig\":{\"maxOutputTokens\":100}}}";

  /** 6 characters -> 2 tokens, one file part -> 258; no maxOutputTokens -> 65,536. */
  private static final String WITH_FILE =
      "{\"request\":{\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"abcdef\"},"
          + "{\"fileData\":{\"fileUri\":\"gs://my-bucket/cat.png\",\"mimeType\":\"image/png\"}}]}]}}";

  @TempDir Path dir;

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  @Test
  void aKnownFileGivesTheHandComputedNumbers() throws IOException {
    Path file = write("two.jsonl", TEN_CHARS, WITH_FILE);

    int code = run("estimate", file.toString());

    // input 3 + 2 + 258 = 263; output 100 + 65,536 = 65,636
    // batch: 263 x 0.30 / 1M x 0.5 = 0.00003945; 65,636 x 2.50 / 1M x 0.5 = 0.082045
    // standard: twice that, 0.1641689
    assertThat(code).isZero();
    assertThat(stdout())
        .contains("rows: 2, valid: 2, invalid: 0")
        .contains("model: gemini-2.5-flash")
        .contains("input tokens (estimate): 263 — 16 characters / 4, rounded up per row, + 1 media")
        .contains("output tokens (upper bound): 65,636")
        .contains("1 row(s) without maxOutputTokens assumed at the model's maximum, 65,536")
        .contains(
            "cost (upper bound): $0.082084 at batch prices (50% off input and output),"
                + " $0.164169 at standard prices")
        .contains("batch: input $0.000039, output $0.082045");
    assertThat(stderr()).isEmpty();
  }

  @Test
  void jsonHasTheExactFiguresAndHowTheyWereMade() throws IOException {
    Path file = write("two.jsonl", TEN_CHARS, WITH_FILE, "not json");

    int code = run("estimate", file.toString(), "--json", "--max-invalid-ratio", "0.5");

    assertThat(code).isZero();
    assertThat(stdout().lines().count()).as("one JSON object on one line").isEqualTo(1);
    JsonNode json = new ObjectMapper().readTree(stdout());
    assertThat(json.get("model").asText()).isEqualTo("gemini-2.5-flash");
    assertThat(json.get("backend").asText()).isEqualTo("vertex");
    assertThat(json.get("rows").asLong()).isEqualTo(3);
    assertThat(json.get("valid").asLong()).isEqualTo(2);
    assertThat(json.get("invalid").asLong()).isEqualTo(1);
    assertThat(json.get("verdict").asText()).isEqualTo("accepted");
    assertThat(json.at("/inputTokens/estimate").asLong()).isEqualTo(263);
    assertThat(json.at("/inputTokens/textCharacters").asLong()).isEqualTo(16);
    assertThat(json.at("/inputTokens/mediaParts").asLong()).isEqualTo(1);
    assertThat(json.at("/inputTokens/method").asText()).contains("/ 4");
    assertThat(json.at("/outputTokens/upperBound").asLong()).isEqualTo(65_636);
    assertThat(json.at("/outputTokens/rowsAtModelMaximum").asLong()).isEqualTo(1);
    assertThat(json.at("/outputTokens/modelMaximum").asLong()).isEqualTo(65_536);
    assertThat(json.at("/cost/batchDiscount").decimalValue()).isEqualByComparingTo("0.5");
    assertThat(json.at("/cost/batch/inputUsd").decimalValue()).isEqualByComparingTo("0.00003945");
    assertThat(json.at("/cost/batch/outputUsd").decimalValue()).isEqualByComparingTo("0.082045");
    assertThat(json.at("/cost/batch/cachedInputUsd").decimalValue()).isEqualByComparingTo("0");
    assertThat(json.at("/cost/batch/totalUsd").decimalValue()).isEqualByComparingTo("0.08208445");
    assertThat(json.at("/cost/standard/totalUsd").decimalValue()).isEqualByComparingTo("0.1641689");
    assertThat(stdout()).as("amounts are plain decimals").contains("\"inputUsd\":0.00003945");
    assertThat(json.at("/cost/pricesSource").asText()).startsWith("https://");
  }

  @Test
  void anUnknownModelSaysSoAndExitsOne() throws IOException {
    Path file = write("one.jsonl", TEN_CHARS);

    int code = run("estimate", file.toString(), "--model", "gemini-9-ultra");
    String human = stdout();
    out.reset();
    int jsonCode = run("estimate", file.toString(), "--model=gemini-9-ultra", "--json");

    assertThat(code).isEqualTo(1);
    assertThat(human)
        .contains("input tokens (estimate): 3")
        .contains("cost: no price for model gemini-9-ultra in the vertex price table");
    assertThat(jsonCode).isEqualTo(1);
    JsonNode json = new ObjectMapper().readTree(stdout());
    assertThat(json.get("cost").isNull()).isTrue();
    assertThat(json.get("error").asText()).startsWith("no price for model gemini-9-ultra");
  }

  @Test
  void aFileSubmitWouldRejectExitsOne() throws IOException {
    Path file = write("bad.jsonl", TEN_CHARS, "not json");

    int code = run("estimate", file.toString());

    assertThat(code).isEqualTo(1);
    assertThat(stdout()).containsPattern("(?m)^rejected: ");
  }

  @Test
  void aMissingFileExitsTwoInOneLine() {
    Path missing = dir.resolve("missing.jsonl");

    int code = run("estimate", missing.toString());

    assertThat(code).isEqualTo(2);
    assertThat(stdout()).isEmpty();
    assertThat(stderr().lines().toList())
        .containsExactly("batchdrop: cannot read " + missing + ": no such file");
  }

  @Test
  void aDeploymentsPriceTableIsUsedAndABrokenOneIsAUsageError() throws IOException {
    Path file = write("one.jsonl", TEN_CHARS);
    String source = "\"checked\": \"2026-01-01\", \"source\": \"https://example.com/p\"";
    Path table = dir.resolve("prices.json");
    Files.writeString(
        table,
        """
        {"backends": {"vertex": {"models": {"gemini-2.5-flash": {
          "input": {"usdPerMillion": 1000000, %1$s},
          "output": {"usdPerMillion": 0, %1$s},
          "cachedInput": {"usdPerMillion": 0, %1$s},
          "batchDiscount": {"fraction": 0, %1$s},
          "maxOutputTokens": {"tokens": 10, %1$s}}}}}}
        """
            .formatted(source));

    int code = run("estimate", file.toString(), "--prices", table.toString(), "--json");

    assertThat(code).isZero();
    // 3 tokens x 1,000,000 / 1M, no discount = 3
    assertThat(new ObjectMapper().readTree(stdout()).at("/cost/batch/totalUsd").asText())
        .isEqualTo("3");
    Files.writeString(table, "{\"backends\": {}}");
    out.reset();
    assertThat(run("estimate", file.toString(), "--prices", table.toString())).isEqualTo(2);
    assertThat(stderr()).contains("--prices").contains("no backend \"vertex\"");
    assertThat(stdout()).isEmpty();
  }

  @Test
  void usageErrorsExitTwoWithTheUsage() {
    assertThat(run("estimate")).isEqualTo(2);
    assertThat(stderr())
        .contains("batchdrop: estimate needs a FILE")
        .contains("usage: batchdrop estimate FILE");
    err.reset();
    assertThat(run("estimate", "a.jsonl", "--modle", "x")).isEqualTo(2);
    assertThat(stderr()).contains("unknown option --modle");
  }

  @Test
  void everyCommandHasHelp() {
    for (String[] args :
        new String[][] {
          {"--help"},
          {"validate", "--help"},
          {"estimate", "--help"},
          {"bench", "--help"},
          {"bench", "validate", "--help"},
          {"bench", "generate", "-h"},
          {"help", "estimate"}
        }) {
      out.reset();
      assertThat(run(args)).as(String.join(" ", args)).isZero();
      assertThat(stdout()).as(String.join(" ", args)).startsWith("usage: batchdrop");
    }
    assertThat(stderr()).isEmpty();
  }

  private int run(String... args) {
    return Main.run(
        args,
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  private Path write(String name, String... lines) throws IOException {
    Path file = dir.resolve(name);
    Files.writeString(file, String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
    return file;
  }

  private String stdout() {
    return out.toString(StandardCharsets.UTF_8);
  }

  private String stderr() {
    return err.toString(StandardCharsets.UTF_8);
  }
}
