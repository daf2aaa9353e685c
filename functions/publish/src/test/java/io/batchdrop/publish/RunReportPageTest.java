package io.batchdrop.publish;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

class RunReportPageTest {
  private static final String SCRIPT = "<script>alert(1)</script>";
  private static final String ATTRIBUTE_BREAK = "\"'><img src=x onerror=alert(2)>";
  private static final String LONG_KEY = "k".repeat(10_000);

  @Test
  void hostileKeysAndMessagesAreShownAsTextAndThePageStaysWellFormed() throws Exception {
    List<ErrorSamples.Example> examples =
        List.of(
            new ErrorSamples.Example(1, SCRIPT, "message " + SCRIPT),
            new ErrorSamples.Example(2, ATTRIBUTE_BREAK, "</table></section>" + ATTRIBUTE_BREAK),
            new ErrorSamples.Example(3, LONG_KEY, "x".repeat(10_000)),
            new ErrorSamples.Example(
                4, "nul\u0000 and lone \uD800 surrogate", "tab\tand\u0007bell"));
    RunReport report =
        report(
            "gs://inbox/incoming/" + SCRIPT + ".jsonl",
            List.of(job(1, 1)),
            List.of(
                new RunReport.ErrorClass(SCRIPT, "failed", 4, false, examples),
                new RunReport.ErrorClass(ATTRIBUTE_BREAK, ATTRIBUTE_BREAK, 1, true, examples)),
            cost("0.0001875"));

    String page = RunReportPage.render(report);
    Document dom = xml(page);

    assertThat(dom.getElementsByTagName("script").getLength()).isZero();
    assertThat(dom.getElementsByTagName("img").getLength()).isZero();
    String text = dom.getDocumentElement().getTextContent();
    assertThat(text).contains(SCRIPT, "message " + SCRIPT, ATTRIBUTE_BREAK);
    assertThat(text)
        .contains("k".repeat(80) + "…(10,000 characters)")
        .doesNotContain("k".repeat(81));
    assertThat(text).contains("x".repeat(300) + "…(10,000 characters)");
    NodeList divs = dom.getElementsByTagName("div");
    for (int i = 0; i < divs.getLength(); i++) {
      Element div = (Element) divs.item(i);
      if (div.hasAttribute("data-outcome")) {
        assertThat(div.getAttribute("data-outcome")).isIn("failed", ATTRIBUTE_BREAK);
      }
    }
    assertThat(page.length()).isLessThan(64 * 1024);
  }

  @Test
  void thePageMakesNoRequestAndRunsNoScript() throws Exception {
    String page =
        RunReportPage.render(
            report("gs://inbox/a.jsonl", List.of(job(1, 1)), List.of(), cost("1")));
    Document dom = xml(page);
    for (String tag :
        List.of("script", "img", "link", "iframe", "object", "embed", "image", "use")) {
      assertThat(dom.getElementsByTagName(tag).getLength()).as(tag).isZero();
    }
    assertThat(page).doesNotContain("@import", " src=", "javascript:");
    assertThat(page)
        .as("url() only for a fragment of the page")
        .doesNotContainPattern("url\\((?!#)");
    assertThat(page).doesNotContainPattern(" on[a-z]+=");
    NodeList anchors = dom.getElementsByTagName("a");
    assertThat(anchors.getLength()).isPositive();
    for (int i = 0; i < anchors.getLength(); i++) {
      assertThat(((Element) anchors.item(i)).getAttribute("href"))
          .startsWith("https://console.cloud.google.com/");
    }
  }

  @Test
  void theLargestRunAPageCanShowStaysBounded() throws Exception {
    List<RunReport.Job> jobs = new ArrayList<>();
    for (int i = 1; i <= RunReport.MAX_JOBS; i++) {
      jobs.add(job(i, 3));
    }
    List<ErrorSamples.Example> examples = new ArrayList<>();
    for (int i = 0; i < ErrorSamples.EXAMPLES_PER_CLASS; i++) {
      examples.add(new ErrorSamples.Example(i, LONG_KEY, "&".repeat(10_000)));
    }
    List<RunReport.ErrorClass> errors = new ArrayList<>();
    for (int i = 0; i < RunReport.MAX_ERROR_CLASSES; i++) {
      errors.add(new RunReport.ErrorClass(LONG_KEY + i, "failed", 1_000_000, false, examples));
    }
    String page =
        RunReportPage.render(report("gs://inbox/" + "n".repeat(5_000), jobs, errors, null));

    xml(page);
    assertThat(page.getBytes(StandardCharsets.UTF_8).length).isLessThan(512 * 1024);
  }

  @Test
  void aModelWithoutAPriceIsNamedInsteadOfACost() throws Exception {
    Document dom =
        xml(RunReportPage.render(report("gs://inbox/a.jsonl", List.of(), List.of(), null)));
    assertThat(dom.getDocumentElement().getTextContent())
        .contains("no price for model gemini-9-" + SCRIPT);
  }

  @Test
  void costsArePrintedForPeopleWithTheExactFigureKept() {
    assertThat(RunReportPage.dollars("0.0001875")).isEqualTo("$0.000188");
    assertThat(RunReportPage.dollars("1234.5")).isEqualTo("$1,234.50");
    assertThat(RunReportPage.dollars("0.0000000001")).isEqualTo("< $0.000001");
    assertThat(RunReportPage.dollars("0")).isEqualTo("$0.00");
  }

  static Document xml(String page) throws Exception {
    DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
    factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", false);
    factory.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
    return factory
        .newDocumentBuilder()
        .parse(new ByteArrayInputStream(page.getBytes(StandardCharsets.UTF_8)));
  }

  private static RunReport report(
      String source,
      List<RunReport.Job> jobs,
      List<RunReport.ErrorClass> errors,
      Map<String, Object> cost) {
    Map<String, Long> counts = new LinkedHashMap<>();
    counts.put("rows", 10L);
    counts.put("succeeded", 6L);
    counts.put("failed", 2L);
    counts.put("invalid", 1L);
    counts.put("missing", 1L);
    Map<String, Long> tokens = new LinkedHashMap<>();
    tokens.put("prompt", 120L);
    tokens.put("candidates", 80L);
    tokens.put("total", 200L);
    return new RunReport(
        "0123456789abcdef0123",
        "PARTIAL",
        SCRIPT,
        null,
        "gemini-9-" + SCRIPT,
        source,
        Instant.parse("2026-12-01T10:00:00Z"),
        Instant.parse("2026-12-01T10:30:00Z"),
        counts,
        tokens,
        cost,
        jobs,
        0,
        errors,
        "gs://work/runs/0123456789abcdef0123/invalid.jsonl",
        "gs://work/runs/0123456789abcdef0123/report.json");
  }

  private static RunReport.Job job(int shard, int attempt) {
    String id = "0123456789abcdef0123-s" + shard + "-a" + attempt;
    return new RunReport.Job(
        id,
        shard,
        attempt,
        "JOB_STATE_SUCCEEDED",
        100,
        Instant.parse("2026-12-01T10:01:00Z"),
        Instant.parse("2026-12-01T10:05:00Z"),
        Instant.parse("2026-12-01T10:25:00Z"),
        "projects/123/locations/us-central1/batchPredictionJobs/" + shard,
        "gs://work/runs/r/input/" + id + ".jsonl",
        "gs://work/runs/r/output/" + id + "/prediction-model-x",
        90,
        5,
        3,
        2);
  }

  private static Map<String, Object> cost(String total) {
    Map<String, Object> cost = new LinkedHashMap<>();
    cost.put("inputUsd", total);
    cost.put("cachedInputUsd", "0");
    cost.put("outputUsd", "0");
    cost.put("totalUsd", total);
    return cost;
  }
}
