package io.batchdrop.publish;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Renders a {@link RunReport} as one self-contained HTML page: inline CSS and SVG, no script, no
 * request to anywhere (links only go somewhere when clicked). Every value that comes from a user or
 * a service is escaped ({@link Html#text}) and cut to a bounded length, and the lists are bounded
 * by {@link RunReport}, so the page is well-formed and of bounded size whatever the run held.
 */
final class RunReportPage {
  static final int MAX_TEXT_CHARS = 2000;
  static final int MAX_URI_CHARS = 2048;
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'", Locale.ROOT)
          .withZone(ZoneOffset.UTC);
  private static final List<String> OUTCOMES = List.of("succeeded", "failed", "invalid", "missing");
  private static final Map<String, String> TOKEN_KINDS =
      Map.of(
          "prompt", "prompt (input)",
          "cached", "cached input",
          "candidates", "candidates (output)",
          "thoughts", "thoughts",
          "toolUse", "tool-use prompt",
          "total", "total");
  private static final List<String> TOKEN_ORDER =
      List.of("prompt", "cached", "candidates", "thoughts", "toolUse", "total");

  private final StringBuilder out = new StringBuilder(32 * 1024);
  private final RunReport r;

  private RunReportPage(RunReport report) {
    this.r = report;
  }

  static String render(RunReport report) {
    return new RunReportPage(report).page();
  }

  private String page() {
    out.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n")
        .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n")
        .append("<title>Batchdrop run ")
        .append(t(r.runId()))
        .append(" \u2014 ")
        .append(t(r.state()))
        .append("</title>\n<style>")
        .append(CSS)
        .append("</style>\n</head>\n<body>\n<main>\n");
    header();
    outcomes();
    out.append("<div class=\"grid\">\n");
    tokens();
    cost();
    out.append("</div>\n");
    jobs();
    errors();
    links();
    out.append("<footer>Written by Batchdrop <code>publish</code> when the run closed")
        .append(r.completedAt() == null ? "" : ", " + TIME.format(r.completedAt()))
        .append(". Exact figures: <code>")
        .append(t(cut(r.reportUri(), MAX_URI_CHARS)))
        .append("</code>.</footer>\n</main>\n</body>\n</html>\n");
    return out.toString();
  }

  private void header() {
    out.append("<header class=\"card head\">\n<div class=\"title\"><h1>Run <code id=\"run-id\">")
        .append(t(r.runId()))
        .append("</code></h1><span id=\"state\" class=\"state s-")
        .append(t(stateClass(r.state())))
        .append("\">")
        .append(t(r.state()))
        .append("</span></div>\n<dl class=\"meta\">");
    meta("source", "<code>" + t(cut(r.sourceUri(), MAX_URI_CHARS)) + "</code>");
    meta("model", "<code id=\"model\">" + t(r.model()) + "</code>");
    if (r.createdAt() != null) {
      meta("accepted", t(TIME.format(r.createdAt())));
    }
    if (r.completedAt() != null) {
      meta("closed", t(TIME.format(r.completedAt())));
    }
    if (r.createdAt() != null && r.completedAt() != null) {
      meta("took", t(human(Duration.between(r.createdAt(), r.completedAt()))));
    }
    out.append("</dl>\n");
    if (r.reason() != null) {
      out.append("<p class=\"note\"><strong>Reason:</strong> ")
          .append(t(cut(r.reason(), MAX_TEXT_CHARS)))
          .append("</p>\n");
    }
    if (r.problem() != null) {
      out.append("<p class=\"note bad\"><strong>Counts do not add up:</strong> ")
          .append(t(cut(r.problem(), MAX_TEXT_CHARS)))
          .append("</p>\n");
    }
    out.append("</header>\n");
  }

  private void meta(String name, String html) {
    out.append("<div><dt>").append(name).append("</dt><dd>").append(html).append("</dd></div>");
  }

  private void outcomes() {
    long rows = r.count("rows");
    long shown = 0;
    for (String o : OUTCOMES) {
      shown += r.count(o);
    }
    long scale = Math.max(1, Math.max(rows, shown));
    out.append("<section class=\"card\" id=\"outcomes\">\n<h2>Outcomes <span class=\"sub\">")
        .append("<span id=\"n-rows\">")
        .append(n(rows))
        .append("</span> rows</span></h2>\n")
        .append("<svg class=\"bar\" viewBox=\"0 0 1000 36\" preserveAspectRatio=\"none\"")
        .append(" role=\"img\" aria-label=\"outcome of every row\">")
        .append("<clipPath id=\"outcome-clip\"><rect x=\"0\" y=\"0\" width=\"1000\"")
        .append(" height=\"36\" rx=\"6\"/></clipPath><g clip-path=\"url(#outcome-clip)\">")
        .append("<rect x=\"0\" y=\"0\" width=\"1000\" height=\"36\" class=\"track\"/>");
    double x = 0;
    for (String o : OUTCOMES) {
      long count = r.count(o);
      if (count == 0) {
        continue;
      }
      double w = 1000.0 * count / scale;
      out.append("<rect x=\"")
          .append(f(x))
          .append("\" y=\"0\" width=\"")
          .append(f(w))
          .append("\" height=\"36\" class=\"o-")
          .append(o)
          .append("\"><title>")
          .append(o)
          .append(": ")
          .append(n(count))
          .append("</title></rect>");
      x += w;
    }
    out.append("</g></svg>\n<div class=\"legend\">\n");
    for (String o : OUTCOMES) {
      long count = r.count(o);
      out.append("<div class=\"item\"><span class=\"swatch o-")
          .append(o)
          .append("\"></span><span class=\"label\">")
          .append(o)
          .append("</span><span class=\"n\" id=\"n-")
          .append(o)
          .append("\">")
          .append(n(count))
          .append("</span><span class=\"pct\">")
          .append(percent(count, rows))
          .append("</span></div>\n");
    }
    out.append("</div>\n</section>\n");
  }

  private void tokens() {
    out.append("<section class=\"card\" id=\"tokens\">\n<h2>Tokens</h2>\n");
    if (r.tokens().isEmpty()) {
      out.append("<p class=\"muted\">No token counts were recorded.</p>\n</section>\n");
      return;
    }
    long max = 1;
    for (String kind : TOKEN_ORDER) {
      if (!"total".equals(kind)) {
        max = Math.max(max, tokens(kind));
      }
    }
    out.append("<table class=\"tokens\">\n");
    for (String kind : TOKEN_ORDER) {
      long value = tokens(kind);
      boolean total = "total".equals(kind);
      out.append(total ? "<tr class=\"total\">" : "<tr>")
          .append("<th>")
          .append(TOKEN_KINDS.get(kind))
          .append("</th><td class=\"num\" id=\"tok-")
          .append(kind)
          .append("\">")
          .append(n(value))
          .append("</td><td class=\"meter\">");
      if (!total) {
        out.append("<svg viewBox=\"0 0 100 10\" preserveAspectRatio=\"none\"><rect x=\"0\"")
            .append(" y=\"0\" width=\"100\" height=\"10\" rx=\"2\" class=\"track\"/><rect x=\"0\"")
            .append(" y=\"0\" height=\"10\" rx=\"2\" class=\"tok\" width=\"")
            .append(f(100.0 * value / max))
            .append("\"/></svg>");
      }
      out.append("</td></tr>\n");
    }
    out.append("</table>\n</section>\n");
  }

  private long tokens(String kind) {
    Long value = r.tokens().get(kind);
    return value == null ? 0 : value;
  }

  private void cost() {
    out.append("<section class=\"card\" id=\"cost\">\n<h2>Cost</h2>\n");
    if (r.cost() == null) {
      out.append("<p class=\"big muted\" id=\"cost-total\">no price for model <code>")
          .append(t(r.model()))
          .append("</code></p>\n<p class=\"muted\">The price table has no entry for this model,")
          .append(" so the cost is left unknown rather than guessed.</p>\n</section>\n");
      return;
    }
    out.append("<p class=\"big\" id=\"cost-total\" title=\"")
        .append(t(cost("totalUsd")))
        .append(" USD\">")
        .append(t(dollars(cost("totalUsd"))))
        .append("</p>\n<table class=\"tokens\">\n");
    costLine("input", "inputUsd");
    costLine("cached input", "cachedInputUsd");
    costLine("output", "outputUsd");
    out.append("</table>\n<p class=\"muted\">Batch prices from Batchdrop's price table,")
        .append(" summed per response; exact figures are in report.json.</p>\n</section>\n");
  }

  private void costLine(String label, String field) {
    out.append("<tr><th>")
        .append(label)
        .append("</th><td class=\"num\" title=\"")
        .append(t(cost(field)))
        .append(" USD\">")
        .append(t(dollars(cost(field))))
        .append("</td></tr>\n");
  }

  private String cost(String field) {
    Object value = r.cost().get(field);
    return value == null ? "0" : cut(value.toString(), 64);
  }

  private void jobs() {
    List<RunReport.Job> jobs = r.jobs();
    out.append("<section class=\"card\" id=\"jobs\">\n<h2>Jobs <span class=\"sub\">")
        .append(n(jobs.size() + r.jobsLeftOut()))
        .append(jobs.size() + r.jobsLeftOut() == 1 ? " attempt" : " attempts")
        .append("</span></h2>\n");
    if (jobs.isEmpty()) {
      out.append("<p class=\"muted\">No batch job was recorded for this run.</p>\n</section>\n");
      return;
    }
    timeline(jobs);
    out.append("<table class=\"jobs\">\n<thead><tr><th>job</th><th>state</th>")
        .append("<th class=\"num\">rows</th><th>created</th><th class=\"num\">queued</th>")
        .append(
            "<th class=\"num\">ran</th><th class=\"num\">published</th></tr></thead>\n<tbody>\n");
    for (RunReport.Job j : jobs) {
      out.append("<tr class=\"job\" data-job=\"")
          .append(t(j.jobId()))
          .append("\"><td><span class=\"shard\">shard ")
          .append(j.shard())
          .append(" \u00b7 attempt ")
          .append(j.attempt())
          .append("</span><br/><code class=\"small\">")
          .append(t(j.jobId()))
          .append("</code></td><td><span class=\"state small s-")
          .append(t(stateClass(shortState(j.state()))))
          .append("\">")
          .append(t(shortState(j.state())))
          .append("</span></td><td class=\"num\">")
          .append(n(j.rows()))
          .append("</td><td>")
          .append(j.created() == null ? "\u2014" : t(TIME.format(j.created())))
          .append("</td><td class=\"num\">")
          .append(between(j.created(), j.started()))
          .append("</td><td class=\"num\">")
          .append(between(j.started(), j.ended()))
          .append("</td><td class=\"num\">")
          .append(published(j))
          .append("</td></tr>\n");
    }
    out.append("</tbody>\n</table>\n");
    if (r.jobsLeftOut() > 0) {
      out.append("<p class=\"muted\">")
          .append(n(r.jobsLeftOut()))
          .append(" more attempts are not shown; their documents are in Firestore.</p>\n");
    }
    out.append("</section>\n");
  }

  private static String published(RunReport.Job j) {
    StringBuilder s = new StringBuilder();
    s.append("<span class=\"c-succeeded\">").append(n(j.succeeded())).append(" ok</span>");
    if (j.failed() > 0) {
      s.append(" \u00b7 <span class=\"c-failed\">").append(n(j.failed())).append(" failed</span>");
    }
    if (j.missing() > 0) {
      s.append(" \u00b7 <span class=\"c-missing\">")
          .append(n(j.missing()))
          .append(" missing</span>");
    }
    if (j.retried() > 0) {
      s.append(" \u00b7 <span class=\"c-retried\">")
          .append(n(j.retried()))
          .append(" retried</span>");
    }
    return s.toString();
  }

  /** Created → started → ended of every attempt on one time axis. */
  private void timeline(List<RunReport.Job> jobs) {
    Instant from = null;
    Instant to = null;
    for (RunReport.Job j : jobs) {
      for (Instant at : new Instant[] {j.created(), j.started(), j.ended()}) {
        if (at != null) {
          from = from == null || at.isBefore(from) ? at : from;
          to = to == null || at.isAfter(to) ? at : to;
        }
      }
    }
    if (from == null) {
      return;
    }
    double span = Math.max(1, Duration.between(from, to).toMillis());
    int rowHeight = 30;
    int top = 26;
    int height = top + rowHeight * jobs.size() + 6;
    double x0 = 200;
    double width = 780;
    out.append("<svg class=\"timeline\" viewBox=\"0 0 1000 ")
        .append(height)
        .append("\" role=\"img\" aria-label=\"job timeline\">\n");
    for (int i = 0; i <= 4; i++) {
      double x = x0 + width * i / 4;
      long ms = Math.round(span * i / 4);
      out.append("<line x1=\"")
          .append(f(x))
          .append("\" x2=\"")
          .append(f(x))
          .append("\" y1=\"18\" y2=\"")
          .append(height)
          .append("\" class=\"grid\"/><text x=\"")
          .append(f(x))
          .append("\" y=\"12\" class=\"axis\" text-anchor=\"")
          .append(i == 0 ? "start" : i == 4 ? "end" : "middle")
          .append("\">")
          .append(i == 0 ? t(TIME.format(from)) : "+" + t(human(Duration.ofMillis(ms))))
          .append("</text>\n");
    }
    int row = 0;
    for (RunReport.Job j : jobs) {
      double y = top + rowHeight * row++;
      out.append("<text x=\"0\" y=\"")
          .append(f(y + 19))
          .append("\" class=\"lane\">shard ")
          .append(j.shard())
          .append(" \u00b7 attempt ")
          .append(j.attempt())
          .append("</text>");
      if (j.created() == null) {
        out.append("<text x=\"")
            .append(f(x0 + 4))
            .append("\" y=\"")
            .append(f(y + 19))
            .append("\" class=\"axis\">no batch job: ")
            .append(t(shortState(j.state())))
            .append("</text>\n");
        continue;
      }
      Instant started = j.started();
      Instant ended = j.ended();
      double xc = x0 + width * Duration.between(from, j.created()).toMillis() / span;
      double xs =
          started == null ? xc : x0 + width * Duration.between(from, started).toMillis() / span;
      double xe = ended == null ? xs : x0 + width * Duration.between(from, ended).toMillis() / span;
      bar(xc, xs, y, "queued", "queued " + between(j.created(), started));
      bar(xs, xe, y, "run s-" + stateClass(shortState(j.state())), shortState(j.state()));
      out.append("<circle cx=\"")
          .append(f(xc))
          .append("\" cy=\"")
          .append(f(y + 14))
          .append("\" r=\"3\" class=\"mark\"/>\n");
    }
    out.append("</svg>\n<p class=\"legend-line\"><span class=\"swatch queued\"></span>created")
        .append(" \u2192 started (queued) <span class=\"swatch s-SUCCEEDED\"></span>started")
        .append(" \u2192 ended, coloured by the job's final state</p>\n");
  }

  private void bar(double from, double to, double y, String cssClass, String title) {
    double w = Math.max(2, to - from);
    out.append("<rect x=\"")
        .append(f(from))
        .append("\" y=\"")
        .append(f(y + 6))
        .append("\" width=\"")
        .append(f(w))
        .append("\" height=\"16\" rx=\"3\" class=\"")
        .append(t(cssClass))
        .append("\"><title>")
        .append(t(title))
        .append("</title></rect>");
  }

  private void errors() {
    out.append("<section class=\"card\" id=\"errors\">\n<h2>Top error classes</h2>\n");
    if (r.errors().isEmpty()) {
      out.append("<p class=\"muted\">No row failed, was invalid or went missing.</p>\n");
      out.append("</section>\n");
      return;
    }
    long max = 1;
    for (RunReport.ErrorClass c : r.errors()) {
      max = Math.max(max, c.count());
    }
    for (RunReport.ErrorClass c : r.errors()) {
      out.append("<div class=\"err\" data-outcome=\"")
          .append(t(c.outcome()))
          .append("\">\n<div class=\"err-head\"><span class=\"tag o-")
          .append(t(c.outcome()))
          .append("\">")
          .append(t(c.outcome()))
          .append("</span><code class=\"cls\">")
          .append(t(cut(c.name(), ErrorSamples.MAX_KEY_CHARS)))
          .append("</code><svg class=\"mini\" viewBox=\"0 0 100 8\" preserveAspectRatio=\"none\">")
          .append("<rect x=\"0\" y=\"0\" height=\"8\" rx=\"2\" class=\"o-")
          .append(t(c.outcome()))
          .append("\" width=\"")
          .append(f(Math.max(2, 100.0 * c.count() / max)))
          .append("\"/></svg><span class=\"count\">")
          .append(n(c.count()))
          .append(c.sampled() ? " in the first findings" : c.count() == 1 ? " row" : " rows")
          .append("</span></div>\n<table class=\"examples\">\n");
      for (ErrorSamples.Example e : c.examples()) {
        out.append("<tr><td class=\"row\">")
            .append("invalid".equals(c.outcome()) ? "line " : "row ")
            .append(e.row())
            .append("</td><td class=\"key\">")
            .append(e.key() == null ? "" : "<code>" + t(cut(e.key(), ErrorSamples.MAX_KEY_CHARS)))
            .append(e.key() == null ? "" : "</code>")
            .append("</td><td class=\"msg\">")
            .append(t(cut(e.message(), ErrorSamples.MAX_MESSAGE_CHARS)))
            .append("</td></tr>\n");
      }
      out.append("</table>\n</div>\n");
    }
    out.append("</section>\n");
  }

  private void links() {
    out.append("<section class=\"card\" id=\"links\">\n<h2>Files</h2>\n<table class=\"links\">\n");
    link("upload (input)", r.sourceUri(), ConsoleLinks.object(r.sourceUri()));
    if (r.invalidUri() != null) {
      link("invalid rows", r.invalidUri(), ConsoleLinks.object(r.invalidUri()));
    }
    link("report.json", r.reportUri(), ConsoleLinks.object(r.reportUri()));
    for (RunReport.Job j : r.jobs()) {
      String which = "shard " + j.shard() + " \u00b7 attempt " + j.attempt();
      if (j.inputUri() != null) {
        link(which + ": staged input", j.inputUri(), ConsoleLinks.object(j.inputUri()));
      }
      if (j.outputDirectory() != null && j.created() != null) {
        link(which + ": output", j.outputDirectory(), ConsoleLinks.folder(j.outputDirectory()));
      }
      if (j.vertexName() != null) {
        link(which + ": batch job", j.vertexName(), ConsoleLinks.batchJob(j.vertexName()));
      }
    }
    out.append("</table>\n</section>\n");
  }

  private void link(String what, String uri, String console) {
    if (uri == null) {
      return;
    }
    out.append("<tr><th>")
        .append(t(what))
        .append("</th><td><code class=\"small\">")
        .append(t(cut(uri, MAX_URI_CHARS)))
        .append("</code></td><td>");
    if (console != null && console.length() <= 3 * MAX_URI_CHARS) {
      out.append("<a href=\"").append(t(console)).append("\">console</a>");
    }
    out.append("</td></tr>\n");
  }

  private static String t(Object value) {
    return Html.text(value);
  }

  private static String cut(String text, int max) {
    return ErrorSamples.cut(text, max);
  }

  static String n(long value) {
    return String.format(Locale.ROOT, "%,d", value);
  }

  private static String f(double value) {
    return String.format(Locale.ROOT, "%.1f", value);
  }

  private static String percent(long part, long whole) {
    if (whole <= 0) {
      return "";
    }
    return String.format(Locale.ROOT, "%.1f %%", 100.0 * part / whole);
  }

  /**
   * Dollars for people: cents from one dollar up, else six decimals; the exact value is a title.
   */
  static String dollars(String decimal) {
    BigDecimal value;
    try {
      value = new BigDecimal(decimal);
    } catch (NumberFormatException e) {
      return decimal;
    }
    if (value.signum() == 0) {
      return "$0.00";
    }
    if (value.abs().compareTo(BigDecimal.ONE) >= 0) {
      return "$" + String.format(Locale.ROOT, "%,.2f", value);
    }
    BigDecimal rounded = value.setScale(6, RoundingMode.HALF_UP);
    return rounded.signum() == 0
        ? "< $0.000001"
        : "$" + rounded.stripTrailingZeros().toPlainString();
  }

  private static String between(Instant from, Instant to) {
    return from == null || to == null ? "\u2014" : human(Duration.between(from, to));
  }

  static String human(Duration d) {
    long ms = Math.max(0, d.toMillis());
    if (ms < 1000) {
      return ms + " ms";
    }
    long s = ms / 1000;
    if (s < 60) {
      return s + " s";
    }
    if (s < 3600) {
      return s / 60 + " min " + s % 60 + " s";
    }
    return s / 3600 + " h " + (s % 3600) / 60 + " min";
  }

  private static String shortState(String state) {
    if (state == null) {
      return "UNKNOWN";
    }
    return state.startsWith("JOB_STATE_") ? state.substring("JOB_STATE_".length()) : state;
  }

  /** A CSS class name from a state: only letters and underscores survive. */
  private static String stateClass(String state) {
    return state == null ? "UNKNOWN" : state.replaceAll("[^A-Za-z_]", "");
  }

  private static final String CSS =
      """
      :root{--ok:#1a7f37;--bad:#cf222e;--warn:#bf8700;--miss:#8c959f;--line:#d8dee4;\
      --ink:#1f2328;--muted:#656d76;--bg:#f6f8fa;--accent:#0969da}
      *{box-sizing:border-box}
      body{margin:0;background:var(--bg);color:var(--ink);\
      font:14px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif}
      main{max-width:1040px;margin:0 auto;padding:24px 20px}
      code{font:12.5px/1.4 ui-monospace,SFMono-Regular,"DejaVu Sans Mono",Menlo,Consolas,monospace;\
      overflow-wrap:anywhere}
      code.small{font-size:11.5px;color:var(--muted)}
      .card{background:#fff;border:1px solid var(--line);border-radius:10px;padding:18px 22px;\
      margin:0 0 16px;box-shadow:0 1px 2px rgba(31,35,40,.04)}
      h1{font-size:20px;margin:0;font-weight:600}
      h2{font-size:13px;text-transform:uppercase;letter-spacing:.06em;color:var(--muted);\
      margin:0 0 12px;font-weight:600}
      h2 .sub{text-transform:none;letter-spacing:0;font-weight:400;margin-left:6px}
      .title{display:flex;align-items:center;gap:12px;flex-wrap:wrap}
      .state{display:inline-block;padding:2px 12px;border-radius:999px;font-weight:600;\
      font-size:12px;letter-spacing:.04em;background:#eaeef2;color:var(--ink)}
      .state.small{padding:1px 8px;font-size:11px}
      .state.s-SUCCEEDED{background:#dafbe1;color:#116329}
      .state.s-PARTIAL,.state.s-PARTIALLY_SUCCEEDED{background:#fff8c5;color:#7d4e00}
      .state.s-FAILED,.state.s-CREATE_FAILED,.state.s-JOB_LOST,.state.s-EXPIRED\
      {background:#ffebe9;color:#a40e26}
      .state.s-CANCELLED{background:#eaeef2;color:#424a53}
      dl.meta{display:flex;flex-wrap:wrap;gap:6px 28px;margin:12px 0 0}
      dl.meta div{min-width:0}
      dt{font-size:11px;text-transform:uppercase;letter-spacing:.06em;color:var(--muted)}
      dd{margin:0;overflow-wrap:anywhere}
      .note{margin:12px 0 0;padding:8px 12px;border-radius:6px;background:#f6f8fa;\
      overflow-wrap:anywhere}
      .note.bad{background:#ffebe9}
      svg.bar{width:100%;height:36px;display:block}
      .track{fill:#eaeef2}
      .o-succeeded{fill:var(--ok);background:var(--ok)}
      .o-failed{fill:var(--bad);background:var(--bad)}
      .o-invalid{fill:var(--warn);background:var(--warn)}
      .o-missing{fill:var(--miss);background:var(--miss)}
      .legend{display:grid;grid-template-columns:repeat(4,1fr);gap:12px;margin-top:14px}
      .legend .item{display:grid;grid-template-columns:14px 1fr;column-gap:8px;align-items:center}
      .legend .label{color:var(--muted)}
      .legend .n{grid-column:2;font-size:26px;font-weight:600;line-height:1.2;\
      font-variant-numeric:tabular-nums}
      .legend .pct{grid-column:2;color:var(--muted);font-size:12px}
      .swatch{display:inline-block;width:12px;height:12px;border-radius:3px;vertical-align:-1px}
      .swatch.queued{background:#d0d7de}
      .swatch.s-SUCCEEDED{background:var(--ok)}
      .grid{display:grid;grid-template-columns:1fr 1fr;gap:16px}
      .grid .card{margin:0 0 16px}
      table{border-collapse:collapse;width:100%}
      th,td{text-align:left;padding:6px 8px;border-top:1px solid #eaeef2;vertical-align:top}
      thead th{border-top:0;font-size:11px;text-transform:uppercase;letter-spacing:.05em;\
      color:var(--muted);font-weight:600}
      th{font-weight:500}
      .num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
      table.tokens tr:first-child th,table.tokens tr:first-child td{border-top:0}
      table.tokens tr.total th,table.tokens tr.total td{font-weight:600;\
      border-top:1px solid var(--line)}
      td.meter{width:38%}
      td.meter svg{width:100%;height:10px;display:block;margin-top:6px}
      .tok{fill:var(--accent)}
      .big{font-size:30px;font-weight:600;margin:0 0 8px;font-variant-numeric:tabular-nums}
      .big.muted{font-size:18px}
      .muted{color:var(--muted)}
      svg.timeline{width:100%;display:block;margin:4px 0 6px}
      svg.timeline .grid{stroke:#eaeef2;stroke-width:1}
      svg.timeline .axis{font-size:11px;fill:var(--muted)}
      svg.timeline .lane{font-size:13px;fill:var(--ink)}
      svg.timeline .queued{fill:#d0d7de}
      svg.timeline .run{fill:var(--accent)}
      svg.timeline .run.s-SUCCEEDED{fill:var(--ok)}
      svg.timeline .run.s-PARTIALLY_SUCCEEDED{fill:var(--warn)}
      svg.timeline .run.s-FAILED,svg.timeline .run.s-EXPIRED,svg.timeline .run.s-JOB_LOST\
      {fill:var(--bad)}
      svg.timeline .run.s-CANCELLED{fill:var(--miss)}
      svg.timeline .mark{fill:#fff;stroke:#57606a;stroke-width:1.5}
      .legend-line{color:var(--muted);font-size:12px;margin:0 0 10px}
      .legend-line .swatch{margin:0 4px 0 10px}
      .legend-line .swatch:first-child{margin-left:0}
      .shard{font-weight:500}
      .c-succeeded{color:var(--ok)}.c-failed{color:var(--bad)}.c-missing{color:#57606a}\
      .c-retried{color:var(--accent)}
      .err{border-top:1px solid #eaeef2;padding:10px 0}
      .err:first-of-type{border-top:0;padding-top:0}
      .err-head{display:flex;align-items:center;gap:10px}
      .tag{color:#fff;font-size:11px;font-weight:600;padding:1px 8px;border-radius:4px}
      .cls{font-weight:600;font-size:13px;color:var(--ink)}
      svg.mini{width:120px;height:8px;flex:none}
      .count{color:var(--muted);margin-left:auto;white-space:nowrap}
      table.examples{margin-top:6px}
      table.examples td{border-top:0;padding:3px 8px;font-size:13px}
      table.examples td.row{white-space:nowrap;color:var(--muted);width:80px}
      table.examples td.key{width:180px;max-width:180px;overflow-wrap:anywhere}
      table.examples td.msg{overflow-wrap:anywhere}
      table.links th{width:230px;font-weight:500}
      table.links td:last-child{width:70px;text-align:right}
      a{color:var(--accent);text-decoration:none}
      a:hover{text-decoration:underline}
      footer{color:var(--muted);font-size:12px;padding:4px 2px 24px;overflow-wrap:anywhere}
      @media (max-width:720px){.grid{grid-template-columns:1fr}\
      .legend{grid-template-columns:repeat(2,1fr)}}
      @media print{body{background:#fff}.card{box-shadow:none}}
      """;
}
