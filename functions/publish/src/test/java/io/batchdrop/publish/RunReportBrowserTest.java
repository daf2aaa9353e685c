package io.batchdrop.publish;

import static io.batchdrop.publish.PublishFixture.keyed;
import static io.batchdrop.publish.PublishFixture.line;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.cloud.firestore.DocumentSnapshot;
import io.batchdrop.cloud.run.RunId;
import io.batchdrop.testing.Fixture;
import io.batchdrop.testing.LocalCloud;
import io.batchdrop.testing.LocalCloudTest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The run report in a real browser: a run with succeeded, failed, invalid and missing rows (and a
 * retried attempt) goes through submit and the real publish on the local cloud; headless Chromium
 * renders the {@code report.html} publish wrote, and the numbers it shows are checked against the
 * run document. The screenshot is kept as a build artifact in {@code target/run-report/report.png}.
 */
@LocalCloudTest
class RunReportBrowserTest {
  static final Path ARTIFACTS = Path.of("target", "run-report");
  @Fixture private PublishFixture fx;

  @BeforeEach
  void deploy(LocalCloud cloud) {
    fx.configure(Map.of("BATCHDROP_MAX_ATTEMPTS", "2"));
    // Long enough that the timeline shows queued and running apart.
    cloud.vertexEmulator().knobs().delays(Duration.ofMillis(300), Duration.ofMillis(900));
  }

  @Test
  void theReportPublishWroteShowsTheRunsNumbersInARealBrowser() throws Exception {
    Chromium chromium = Chromium.find();
    String file =
        keyed("greeting", "Say hello")
            + line("What is batch inference?")
            + keyed("<b>summary-1</b>", "[vertex:fail-400] a bad row")
            + "{\"key\":\"bad-role\",\"request\":{\"contents\":[{\"role\":\"tester\",\"parts\":[{\"text\":\"x\"}]}]}}\n"
            + keyed("gone", "[vertex:missing] lost")
            + keyed("busy", "[vertex:fail-429-once] retried")
            + line("[vertex:max-tokens] a long one")
            + keyed("haiku", "Write a haiku about queues.");
    RunId run = fx.submit("report.jsonl", file);
    fx.publishUntilClosed(run);
    DocumentSnapshot closed = fx.run(run);
    assertThat(closed.getString("state")).isEqualTo("PARTIAL");

    String html = fx.readWork("runs/" + run.value() + "/report.html");
    assertThat(html).as("publish wrote report.html beside report.json").isNotNull();
    Files.createDirectories(ARTIFACTS);
    Path page = ARTIFACTS.resolve("report.html");
    Files.writeString(page, html, StandardCharsets.UTF_8);
    String dom = chromium.dumpDom(page);
    Path screenshot = chromium.screenshot(page, ARTIFACTS.resolve("report.png"));

    assertThat(text(dom, "run-id")).isEqualTo(run.value());
    assertThat(text(dom, "state")).isEqualTo("PARTIAL");
    assertThat(text(dom, "model")).isEqualTo(closed.getString("model"));
    for (String outcome : new String[] {"rows", "succeeded", "failed", "invalid", "missing"}) {
      assertThat(number(dom, "n-" + outcome))
          .as(outcome)
          .isEqualTo(closed.getLong("counts." + outcome));
    }
    assertThat(number(dom, "n-succeeded")).isEqualTo(5);
    assertThat(number(dom, "n-failed")).isEqualTo(1);
    assertThat(number(dom, "n-invalid")).isEqualTo(1);
    assertThat(number(dom, "n-missing")).isEqualTo(1);
    for (String kind :
        new String[] {"prompt", "cached", "candidates", "thoughts", "toolUse", "total"}) {
      assertThat(number(dom, "tok-" + kind)).as(kind).isEqualTo(closed.getLong("tokens." + kind));
    }
    assertThat(number(dom, "tok-total")).isPositive();
    assertThat(attribute(dom, "cost-total", "title"))
        .isEqualTo(closed.getString("cost.totalUsd") + " USD");
    assertThat(count(dom, "<tr class=\"job\"")).isEqualTo(fx.jobs(run).size()).isEqualTo(2);
    assertThat(dom).contains("shard 1 · attempt 2", "400 INVALID_ARGUMENT", "role-invalid");
    assertThat(dom).contains("&lt;b&gt;summary-1&lt;/b&gt;", "gone").doesNotContain("<b>");
    assertThat(dom).contains("gs://batchdrop-work/runs/" + run.value() + "/invalid.jsonl");
    assertThat(Files.size(screenshot)).isGreaterThan(10_000);
    assertThat(Files.readAllBytes(screenshot)).startsWith(0x89, 'P', 'N', 'G');
  }

  private static String text(String dom, String id) {
    Matcher m = Pattern.compile("id=\"" + Pattern.quote(id) + "\"[^>]*>([^<]*)<").matcher(dom);
    assertThat(m.find()).as("the page shows #" + id).isTrue();
    return m.group(1).strip();
  }

  private static long number(String dom, String id) {
    return Long.parseLong(text(dom, id).replace(",", ""));
  }

  private static String attribute(String dom, String id, String name) {
    Matcher m = Pattern.compile("<[^>]*id=\"" + Pattern.quote(id) + "\"[^>]*>").matcher(dom);
    assertThat(m.find()).as("the page has #" + id).isTrue();
    Matcher a = Pattern.compile(name + "=\"([^\"]*)\"").matcher(m.group());
    assertThat(a.find()).as("#" + id + " has " + name).isTrue();
    return a.group(1);
  }

  private static int count(String text, String needle) {
    int n = 0;
    for (int at = text.indexOf(needle); at >= 0; at = text.indexOf(needle, at + 1)) {
      n++;
    }
    return n;
  }
}
