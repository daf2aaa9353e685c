package io.batchdrop.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamWriteFeature;
import io.batchdrop.pricing.Cost;
import io.batchdrop.pricing.ModelPrice;
import io.batchdrop.pricing.TokenEstimate;
import io.batchdrop.validation.ValidationReport;
import io.batchdrop.validation.Verdict;
import java.io.IOException;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Optional;

/**
 * The output of {@code batchdrop estimate}: for a person, a few lines saying how each figure was
 * made; with {@code --json}, one object with the same figures, exact amounts in US dollars.
 */
record EstimateReport(
    ValidationReport report,
    Verdict verdict,
    TokenEstimate estimate,
    String backend,
    Optional<ModelPrice> price) {

  static final String INPUT_METHOD =
      "characters of text parts / "
          + TokenEstimate.CHARS_PER_TOKEN
          + ", rounded up per row, plus "
          + TokenEstimate.TOKENS_PER_MEDIA_PART
          + " per fileData/inlineData part; offline, not Vertex countTokens";

  static final String OUTPUT_METHOD =
      "maxOutputTokens x candidateCount per row; the model's maximum output where a row sets none";

  boolean priced() {
    return price.isPresent();
  }

  String noPrice() {
    return "no price for model " + estimate.model() + " in the " + backend + " price table";
  }

  void printHuman(PrintStream out) {
    out.printf(
        "rows: %d, valid: %d, invalid: %d (only valid rows are submitted and estimated)%n",
        report.rows(), report.valid(), report.invalid());
    out.printf("model: %s%n", estimate.model());
    out.printf(
        "input tokens (estimate): %,d — %,d characters / %d, rounded up per row, + %,d media"
            + " part(s) x %d (offline, not countTokens)%n",
        estimate.inputTokens(),
        estimate.textCharacters(),
        TokenEstimate.CHARS_PER_TOKEN,
        estimate.mediaParts(),
        TokenEstimate.TOKENS_PER_MEDIA_PART);
    out.printf(
        "output tokens (upper bound): %,d — maxOutputTokens x candidateCount per row%s%n",
        estimate.outputTokensBound(), assumption());
    if (price.isEmpty()) {
      out.println("cost: " + noPrice());
    } else {
      Cost batch = estimate.batchCost().orElseThrow();
      Cost standard = estimate.standardCost().orElseThrow();
      out.printf(
          "cost (upper bound): %s at batch prices (%s%% off input and output), %s at standard"
              + " prices%n",
          usd(batch.totalUsd()),
          percent(price.get().batchDiscount().fraction()),
          usd(standard.totalUsd()));
      out.printf(
          "  batch: input %s, output %s; prices of %s (%s), checked %s%n",
          usd(batch.inputUsd()),
          usd(batch.outputUsd()),
          estimate.model(),
          backend,
          price.get().input().checked());
    }
    String reason =
        verdict.reason() == null || verdict.reason().isBlank() ? "" : ": " + verdict.reason();
    out.println((verdict.accepted() ? "accepted" : "rejected") + reason);
  }

  private String assumption() {
    StringBuilder text = new StringBuilder();
    if (estimate.rowsAtModelMaximum() > 0) {
      text.append(
          String.format(
              "; %,d row(s) without maxOutputTokens assumed at the model's maximum, %,d",
              estimate.rowsAtModelMaximum(), price.orElseThrow().maxOutput().tokens()));
    }
    if (estimate.rowsWithoutBound() > 0) {
      text.append(
          String.format(
              "; %,d row(s) without maxOutputTokens not bounded (the model is not in the price"
                  + " table)",
              estimate.rowsWithoutBound()));
    }
    return text.toString();
  }

  void printJson(PrintStream out) throws IOException {
    JsonGenerator json =
        JsonFactory.builder()
            .enable(StreamWriteFeature.WRITE_BIGDECIMAL_AS_PLAIN)
            .build()
            .createGenerator(out);
    json.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
    json.writeStartObject();
    json.writeStringField("model", estimate.model());
    json.writeStringField("backend", backend);
    json.writeNumberField("rows", report.rows());
    json.writeNumberField("valid", report.valid());
    json.writeNumberField("invalid", report.invalid());
    json.writeStringField("verdict", verdict.accepted() ? "accepted" : "rejected");
    json.writeStringField("reason", verdict.reason());
    json.writeObjectFieldStart("inputTokens");
    json.writeNumberField("estimate", estimate.inputTokens());
    json.writeNumberField("textCharacters", estimate.textCharacters());
    json.writeNumberField("mediaParts", estimate.mediaParts());
    json.writeStringField("method", INPUT_METHOD);
    json.writeEndObject();
    json.writeObjectFieldStart("outputTokens");
    json.writeNumberField("upperBound", estimate.outputTokensBound());
    json.writeNumberField("rowsAtModelMaximum", estimate.rowsAtModelMaximum());
    if (price.isPresent()) {
      json.writeNumberField("modelMaximum", price.get().maxOutput().tokens());
    } else {
      json.writeNullField("modelMaximum");
    }
    json.writeNumberField("rowsWithoutBound", estimate.rowsWithoutBound());
    json.writeStringField("method", OUTPUT_METHOD);
    json.writeEndObject();
    if (price.isPresent()) {
      json.writeObjectFieldStart("cost");
      json.writeNumberField("batchDiscount", price.get().batchDiscount().fraction());
      writeCost(json, "batch", estimate.batchCost().orElseThrow());
      writeCost(json, "standard", estimate.standardCost().orElseThrow());
      json.writeStringField("pricesChecked", price.get().input().checked().toString());
      json.writeStringField("pricesSource", price.get().input().source().toString());
      json.writeEndObject();
    } else {
      json.writeNullField("cost");
      json.writeStringField("error", noPrice());
    }
    json.writeEndObject();
    json.writeRaw('\n');
    json.flush();
  }

  private static void writeCost(JsonGenerator json, String name, Cost cost) throws IOException {
    json.writeObjectFieldStart(name);
    json.writeNumberField("inputUsd", cost.inputUsd());
    json.writeNumberField("cachedInputUsd", cost.cachedInputUsd());
    json.writeNumberField("outputUsd", cost.outputUsd());
    json.writeNumberField("totalUsd", cost.totalUsd());
    json.writeEndObject();
  }

  /** Dollars to the millionth: per-row costs are often fractions of a cent. */
  static String usd(BigDecimal amount) {
    return "$" + amount.setScale(6, RoundingMode.HALF_UP).toPlainString();
  }

  private static String percent(BigDecimal fraction) {
    return fraction.movePointRight(2).stripTrailingZeros().toPlainString();
  }
}
