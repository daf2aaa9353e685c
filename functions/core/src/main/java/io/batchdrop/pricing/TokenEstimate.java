package io.batchdrop.pricing;

import java.util.Optional;

/**
 * An offline estimate of a file's tokens and batch cost, over its valid rows. Input tokens are
 * {@value #CHARS_PER_TOKEN} characters of text per token (rounded up per row) plus {@value
 * #TOKENS_PER_MEDIA_PART} per fileData / inlineData part; output tokens are an upper bound: each
 * row's maxOutputTokens times its candidateCount, or the model's maximum output when the row sets
 * none.
 *
 * @param rows valid rows estimated
 * @param textCharacters characters (code points) of every text part
 * @param mediaParts fileData and inlineData parts
 * @param inputTokens estimated input tokens
 * @param outputTokensBound the most output tokens the rows can produce (thinking included)
 * @param rowsAtModelMaximum rows without maxOutputTokens, bounded by the model's maximum output
 * @param rowsWithoutBound rows without maxOutputTokens for a model the table does not know: not in
 *     {@code outputTokensBound}
 * @param batchCost the upper bound's cost at batch prices; empty when the model has no price
 * @param standardCost the same at standard (online) prices, to show the discount
 */
public record TokenEstimate(
    String model,
    long rows,
    long textCharacters,
    long mediaParts,
    long inputTokens,
    long outputTokensBound,
    long rowsAtModelMaximum,
    long rowsWithoutBound,
    Optional<Cost> batchCost,
    Optional<Cost> standardCost) {

  /** Google's rule of thumb for Gemini: "a token is equivalent to about 4 characters". */
  public static final int CHARS_PER_TOKEN = 4;

  /**
   * What one image of up to 384x384 pixels counts as in Gemini: a floor for any media part, since
   * larger images, PDF pages, audio and video seconds all count more and are not read offline.
   */
  public static final int TOKENS_PER_MEDIA_PART = 258;
}
