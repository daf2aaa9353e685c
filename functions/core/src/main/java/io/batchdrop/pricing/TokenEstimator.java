package io.batchdrop.pricing;

import io.batchdrop.validation.LineListener;
import io.batchdrop.validation.PlainStrings;
import io.batchdrop.validation.RequestCounts;
import io.batchdrop.validation.ValidLine;
import java.io.IOException;
import java.util.Objects;
import java.util.Optional;

/**
 * Collects a {@link TokenEstimate} while the validator reads a file: give it to {@code
 * RequestValidator.validate} (beside any other listener) and read {@link #estimate()} afterwards,
 * so the estimate costs no second pass over the file. Only valid rows count: invalid ones are never
 * submitted. Each row is costed on its own (the long-context tier depends on the row's prompt).
 * Memory is a handful of counters, whatever the file's size. Not thread-safe: one per file.
 */
public final class TokenEstimator implements LineListener {
  private final String model;
  private final Optional<ModelPrice> price;

  private long rows;
  private long textCharacters;
  private long mediaParts;
  private long inputTokens;
  private long outputTokensBound;
  private long rowsAtModelMaximum;
  private long rowsWithoutBound;

  /** The rows' estimated usage per pricing tier; null when the model has no price. */
  private final TieredUsage usage;

  public TokenEstimator(PriceTable prices, String model) {
    this.model = Objects.requireNonNull(model, "model");
    this.price = Objects.requireNonNull(prices, "prices").price(model);
    this.usage = price.map(TieredUsage::new).orElse(null);
  }

  @Override
  public void onValidLine(ValidLine line) throws IOException {
    RequestTokens request = counted(line);
    if (request == null) {
      request = RequestTokens.read(line.buffer(), line.offset(), line.length());
    }
    long input =
        ceilDiv(request.textCharacters(), TokenEstimate.CHARS_PER_TOKEN)
            + request.mediaParts() * TokenEstimate.TOKENS_PER_MEDIA_PART;
    long perCandidate = request.maxOutputTokens();
    if (perCandidate == 0) {
      if (price.isPresent()) {
        perCandidate = price.get().maxOutput().tokens();
        rowsAtModelMaximum++;
      } else {
        rowsWithoutBound++;
      }
    }
    long output = Math.multiplyExact(perCandidate, request.candidates());
    rows++;
    textCharacters += request.textCharacters();
    mediaParts += request.mediaParts();
    inputTokens += input;
    outputTokensBound += output;
    if (usage != null) {
      usage.add(new TokenUsage(input, 0, output, 0, 0, input + output));
    }
  }

  /**
   * The validator's counts of the line, its text counted in the line's bytes: no second parse of
   * the line. Null when the validator had none or a text value cannot be counted there.
   */
  static RequestTokens counted(ValidLine line) {
    RequestCounts counts = line.counts();
    if (counts == null) {
      return null;
    }
    long text = 0;
    int end = line.offset() + line.length();
    for (int quote : counts.textQuotes()) {
      long n = PlainStrings.stringCodePoints(line.buffer(), line.offset() + quote + 1, end);
      if (n < 0) {
        return null;
      }
      text += n;
    }
    return new RequestTokens(
        text, counts.mediaParts(), counts.maxOutputTokens(), counts.candidates());
  }

  /** The estimate of the rows seen so far. */
  public TokenEstimate estimate() {
    return new TokenEstimate(
        model,
        rows,
        textCharacters,
        mediaParts,
        inputTokens,
        outputTokensBound,
        rowsAtModelMaximum,
        rowsWithoutBound,
        price.map(p -> usage.batchCost()),
        price.map(p -> usage.standardCost()));
  }

  private static long ceilDiv(long a, long b) {
    return (a + b - 1) / b;
  }
}
