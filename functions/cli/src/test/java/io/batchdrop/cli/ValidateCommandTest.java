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
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ValidateCommandTest {
  private static final String GOOD =
      "{\"request\":{\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"Summarize the order history.\"}]}]}}";
  private static final String BAD_ROLE =
      "{\"request\":{\"contents\":[{\"role\":\"tester\",\"parts\":[{\"text\":\"hello\"}]}]}}";
  private static final String NOT_JSON = "this is not json";

  @TempDir Path dir;

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  @Test
  void allValidRows_exitZero_accepted() throws IOException {
    Path file = write("good.jsonl", GOOD, GOOD, GOOD);

    int code = run("validate", file.toString());

    assertThat(code).isZero();
    assertThat(stdout()).startsWith("rows: 3, valid: 3, invalid: 0, warnings: 0");
    assertThat(lastLine(stdout())).startsWith("accepted");
    assertThat(stderr()).isEmpty();
  }

  @Test
  void someInvalidRows_exitOne_evenWhenLenientAcceptsTheFile() throws IOException {
    List<String> lines = new ArrayList<>(List.of(BAD_ROLE));
    for (int i = 0; i < 19; i++) {
      lines.add(GOOD);
    }
    Path file = write("mixed.jsonl", lines.toArray(String[]::new));

    int code = run("validate", file.toString());

    assertThat(code).isEqualTo(1);
    assertThat(stdout()).startsWith("rows: 20, valid: 19, invalid: 1,");
    assertThat(stdout()).containsPattern("(?m)^1(:\\d+)? \\S+ .*tester");
    assertThat(lastLine(stdout())).startsWith("accepted");
  }

  @Test
  void strictRejectsWhatLenientAccepts() throws IOException {
    List<String> lines = new ArrayList<>(List.of(BAD_ROLE));
    for (int i = 0; i < 19; i++) {
      lines.add(GOOD);
    }
    Path file = write("mixed.jsonl", lines.toArray(String[]::new));

    int strict = run("validate", file.toString(), "--policy", "strict");
    String strictVerdict = lastLine(stdout());
    out.reset();
    int lenient = run("validate", file.toString(), "--policy=LENIENT");

    assertThat(strict).isEqualTo(1);
    assertThat(strictVerdict).startsWith("rejected: ").contains("strict");
    assertThat(lenient).isEqualTo(1);
    assertThat(lastLine(stdout())).startsWith("accepted");
  }

  @Test
  void maxInvalidRatioDecidesTheLenientVerdict() throws IOException {
    Path file = write("third.jsonl", GOOD, GOOD, BAD_ROLE);

    run("validate", file.toString(), "--max-invalid-ratio", "0.5");
    String loose = lastLine(stdout());
    out.reset();
    run("validate", file.toString());

    assertThat(loose).startsWith("accepted");
    assertThat(lastLine(stdout())).startsWith("rejected: ");
  }

  @Test
  void humanOutputShowsTwentyFindingsThenHowManyMore() throws IOException {
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      lines.add(NOT_JSON);
      lines.add(GOOD);
    }
    Path file = write("many.jsonl", lines.toArray(String[]::new));

    int code = run("validate", file.toString());

    List<String> output = stdout().lines().toList();
    assertThat(code).isEqualTo(1);
    assertThat(output.get(0)).startsWith("rows: 60, valid: 30, invalid: 30,");
    List<String> findings = output.subList(1, 21);
    assertThat(findings)
        .allMatch(l -> l.matches("\\d+(:[1-9]\\d*)? \\S+ .+"), "line[:column] code message");
    assertThat(findings.get(0)).startsWith("1");
    assertThat(findings.get(1)).startsWith("3");
    assertThat(output.get(21)).matches("… and \\d+ more");
    assertThat(output.get(22)).startsWith("rejected: ");
    assertThat(output).hasSize(23);
  }

  @Test
  void jsonOutputHasCountsVerdictAndAnErrorForEveryInvalidRow() throws IOException {
    Path file = write("mixed.jsonl", GOOD, "", BAD_ROLE, GOOD, "   ", NOT_JSON, GOOD);

    int code = run("validate", file.toString(), "--json");

    assertThat(code).isEqualTo(1);
    assertThat(stdout().lines().count()).as("one JSON object on one line").isEqualTo(1);
    JsonNode json = new ObjectMapper().readTree(stdout());
    assertThat(json.get("rows").asLong()).as("blank lines are not rows").isEqualTo(5);
    assertThat(json.get("valid").asLong()).isEqualTo(3);
    assertThat(json.get("invalid").asLong()).isEqualTo(2);
    assertThat(json.get("warnings").isIntegralNumber()).isTrue();
    assertThat(json.get("verdict").asText()).isIn("accepted", "rejected");
    assertThat(json.get("reason").isTextual()).isTrue();
    JsonNode issues = json.get("issues");
    assertThat(issues.isArray()).isTrue();
    for (JsonNode issue : issues) {
      assertThat(issue.get("line").isIntegralNumber()).isTrue();
      assertThat(issue.get("column").isIntegralNumber()).isTrue();
      assertThat(issue.get("code").asText()).isNotBlank();
      assertThat(issue.get("path").isTextual()).isTrue();
      assertThat(issue.get("message").asText()).isNotBlank();
      assertThat(issue.get("severity").asText()).isIn("error", "warning");
    }
    assertThat(errorLines(issues)).containsExactlyInAnyOrder(3L, 6L);
  }

  @Test
  void jsonOutputStreamsEveryIssueNotOnlyTheOnesTheReportKeeps() throws IOException {
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < 1500; i++) {
      lines.add(BAD_ROLE);
      lines.add(GOOD);
    }
    Path file = write("big.jsonl", lines.toArray(String[]::new));

    run("validate", file.toString(), "--json");

    JsonNode json = new ObjectMapper().readTree(stdout());
    assertThat(json.get("invalid").asLong()).isEqualTo(1500);
    assertThat(errorLines(json.get("issues"))).hasSize(1500);
    assertThat(json.get("verdict").asText()).isEqualTo("rejected");
  }

  @Test
  void jsonAndHumanOutputListTheSameFindings_includingThoseNotTiedToARow() throws IOException {
    Path file = dir.resolve("crlf-bom.jsonl");
    String text =
        "\uFEFF" + GOOD + "\r\n\r\n" + BAD_ROLE + "\r\n" + NOT_JSON + "\r\n\n" + GOOD + "\r\n";
    Files.writeString(file, text, StandardCharsets.UTF_8);

    run("validate", file.toString());
    List<String> human = stdout().lines().toList();
    out.reset();
    run("validate", file.toString(), "--json");
    JsonNode json = new ObjectMapper().readTree(stdout());

    List<String> humanFindings = human.subList(1, human.size() - 1);
    List<String> jsonFindings = new ArrayList<>();
    for (JsonNode issue : json.get("issues")) {
      String where =
          issue.get("column").asInt() > 0
              ? issue.get("line").asText() + ":" + issue.get("column").asText()
              : issue.get("line").asText();
      jsonFindings.add(
          where + " " + issue.get("code").asText() + " " + issue.get("message").asText());
    }
    assertThat(humanFindings).hasSizeLessThan(HumanReport.FINDINGS_SHOWN);
    assertThat(jsonFindings)
        .as("every finding once, whether it came with a row or only in the report")
        .containsExactlyInAnyOrderElementsOf(humanFindings);
    assertThat(json.get("rows").asLong()).isEqualTo(4);
    assertThat(errorLines(json.get("issues"))).containsExactlyInAnyOrder(3L, 4L);
  }

  @Test
  void emptyFileIsRejected() throws IOException {
    Path file = write("empty.jsonl");

    int code = run("validate", file.toString());

    assertThat(code).isEqualTo(1);
    assertThat(stdout()).startsWith("rows: 0, valid: 0, invalid: 0");
    assertThat(lastLine(stdout())).startsWith("rejected: ");
  }

  @Test
  void missingFile_exitTwo_oneLineWithoutStackTrace() {
    int code = run("validate", dir.resolve("missing.jsonl").toString());

    assertThat(code).isEqualTo(2);
    assertThat(stdout()).isEmpty();
    assertThat(stderr().lines().toList())
        .containsExactly(
            "batchdrop: cannot read " + dir.resolve("missing.jsonl") + ": no such file");
  }

  @Test
  void directoryInsteadOfFile_exitTwo() {
    int code = run("validate", dir.toString());

    assertThat(code).isEqualTo(2);
    assertThat(stderr()).startsWith("batchdrop: cannot read ").doesNotContain("Exception");
  }

  @Test
  void unknownOption_exitTwo_withUsage() throws IOException {
    Path file = write("good.jsonl", GOOD);

    int code = run("validate", file.toString(), "--fast");

    assertThat(code).isEqualTo(2);
    assertThat(stderr())
        .contains("unknown option --fast")
        .contains("usage: batchdrop validate FILE");
    assertThat(stdout()).isEmpty();
  }

  @Test
  void badOptionValues_exitTwo() throws IOException {
    Path file = write("good.jsonl", GOOD);

    assertThat(run("validate", file.toString(), "--policy", "picky")).isEqualTo(2);
    assertThat(run("validate", file.toString(), "--max-invalid-ratio", "ten")).isEqualTo(2);
    assertThat(run("validate", file.toString(), "--policy")).isEqualTo(2);
    assertThat(run("validate")).isEqualTo(2);
    assertThat(run("validate", file.toString(), file.toString())).isEqualTo(2);
    assertThat(stderr())
        .contains("picky", "ten", "--policy needs a value", "needs a FILE", "one file")
        .doesNotContain("Exception");
  }

  @Test
  void unknownCommand_exitTwo_helpExitZero() {
    assertThat(run("frobnicate")).isEqualTo(2);
    assertThat(run()).isEqualTo(2);
    assertThat(stderr()).contains("usage: batchdrop");
    assertThat(run("--help")).isZero();
    assertThat(stdout()).contains("usage: batchdrop validate FILE");
  }

  @Test
  void backendPicksTheRulesSearchAsAnEmptyObjectPassesOnTheGeminiApiAndFailsOnVertex()
      throws IOException {
    String search =
        "{\"request\":{\"contents\":[{\"parts\":[{\"text\":\"news?\"}]}],"
            + "\"tools\":[{\"google_search\":{}}]}}";
    Path file = write("search.jsonl", search, GOOD);

    int gemini = run("validate", file.toString(), "--backend", "gemini-api");
    String geminiOut = stdout();
    out.reset();
    int vertex = run("validate", file.toString(), "--backend=vertex", "--json");
    JsonNode report = new ObjectMapper().readTree(stdout());
    out.reset();
    int byDefault = run("validate", file.toString());

    assertThat(gemini).isZero();
    assertThat(geminiOut).startsWith("rows: 2, valid: 2, invalid: 0");
    assertThat(vertex).isEqualTo(1);
    assertThat(report.path("invalid").asLong()).isEqualTo(1);
    assertThat(report.at("/issues/0/code").asText()).isEqualTo("empty-object");
    assertThat(report.at("/issues/0/path").asText()).isEqualTo("request.tools[0].google_search");
    assertThat(byDefault).as("vertex is the default backend").isEqualTo(1);
  }

  @Test
  void anEmbeddingsFileIsCheckedAsEmbeddingsOnTheGeminiApiAndRejectedOnVertex() throws IOException {
    Path file =
        write(
            "embed.jsonl",
            "{\"key\":\"doc-1\",\"request\":{\"content\":{\"parts\":[{\"text\":\"a document\"}]},"
                + "\"taskType\":\"RETRIEVAL_DOCUMENT\"}}",
            "{\"request\":{\"content\":{\"parts\":[{\"text\":\"x\"}]},\"taskType\":\"SEARCH\"}}");

    int gemini =
        run(
            "validate",
            file.toString(),
            "--backend",
            "gemini-api",
            "--model",
            "gemini-embedding-001");
    String geminiOut = stdout();
    out.reset();
    int vertex = run("validate", file.toString(), "--model", "gemini-embedding-001");

    assertThat(gemini).isEqualTo(1);
    assertThat(geminiOut).startsWith("rows: 2, valid: 1, invalid: 1");
    assertThat(geminiOut).contains("task-type-invalid");
    assertThat(vertex).isEqualTo(1);
    assertThat(stdout()).contains("embeddings-not-supported");
    assertThat(lastLine(stdout())).startsWith("rejected: ").contains("only on the Gemini API");
  }

  @Test
  void anUnknownBackendIsAUsageErrorNamingTheKnownOnes() throws IOException {
    Path file = write("good.jsonl", GOOD);

    int code = run("validate", file.toString(), "--backend", "bedrock");

    assertThat(code).isEqualTo(2);
    assertThat(stderr()).contains("expected vertex or gemini-api");
  }

  @Test
  void estimateChecksWithTheSameBackendRules() throws IOException {
    Path file =
        write(
            "files-api.jsonl",
            "{\"request\":{\"contents\":[{\"parts\":[{\"text\":\"sum up\"},{\"fileData\":"
                + "{\"fileUri\":\"https://generativelanguage.googleapis.com/v1beta/files/f1\","
                + "\"mimeType\":\"application/pdf\"}}]}]}}");

    int gemini = run("estimate", file.toString(), "--backend", "gemini-api", "--json");
    JsonNode onGemini = new ObjectMapper().readTree(stdout());
    out.reset();
    int vertex = run("estimate", file.toString(), "--json");
    JsonNode onVertex = new ObjectMapper().readTree(stdout());

    assertThat(gemini).isZero();
    assertThat(onGemini.path("valid").asLong()).isEqualTo(1);
    assertThat(vertex).isEqualTo(1);
    assertThat(onVertex.path("verdict").asText()).isEqualTo("rejected");
  }

  @Test
  void theDeploymentsFileBucketAllowListAppliesWhenGiven_andAnyBucketPassesWithoutIt()
      throws IOException {
    Path file =
        write(
            "media.jsonl",
            withImage("gs://media-in/cat.png"),
            withImage("gs://someone-elses/dog.png"));

    int open = run("validate", file.toString());
    out.reset();
    int allowListed =
        run("validate", file.toString(), "--allowed-file-buckets", "media-in,docs-in");
    String allowListedOut = stdout();
    out.reset();
    int estimated =
        run("estimate", file.toString(), "--allowed-file-buckets", "media-in", "--json");

    assertThat(open).isZero();
    assertThat(allowListed).isEqualTo(1);
    assertThat(allowListedOut).startsWith("rows: 2, valid: 1, invalid: 1");
    assertThat(allowListedOut)
        .containsPattern("(?m)^2(:\\d+)? file-bucket-not-allowed .*someone-elses");
    assertThat(estimated).isEqualTo(1);
    assertThat(new ObjectMapper().readTree(stdout()).path("valid").asLong()).isEqualTo(1);
  }

  @Test
  void anAllowListEntryThatIsNoBucketNameIsAUsageErrorNamingIt() throws IOException {
    Path file = write("media.jsonl", withImage("gs://media-in/cat.png"));

    int code = run("validate", file.toString(), "--allowed-file-buckets", "gs://media-in");

    assertThat(code).isEqualTo(2);
    assertThat(stderr()).contains("\"gs://media-in\"").contains("bucket name");
  }

  private static String withImage(String uri) {
    return "{\"request\":{\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"describe\"},"
        + "{\"fileData\":{\"fileUri\":\""
        + uri
        + "\",\"mimeType\":\"image/png\"}}]}]}}";
  }

  private static Set<Long> errorLines(JsonNode issues) {
    Set<Long> lines = new HashSet<>();
    for (JsonNode issue : issues) {
      if (issue.get("severity").asText().equals("error")) {
        lines.add(issue.get("line").asLong());
      }
    }
    return lines;
  }

  private int run(String... args) {
    return Main.run(
        args,
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  private Path write(String name, String... lines) throws IOException {
    Path file = dir.resolve(name);
    Files.writeString(
        file, lines.length == 0 ? "" : String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
    return file;
  }

  private String stdout() {
    return out.toString(StandardCharsets.UTF_8);
  }

  private String stderr() {
    return err.toString(StandardCharsets.UTF_8);
  }

  private static String lastLine(String text) {
    List<String> lines = text.lines().collect(Collectors.toList());
    return lines.isEmpty() ? "" : lines.get(lines.size() - 1);
  }
}
