package io.batchdrop.validation;

/**
 * What the cost estimate needs of a valid generation request, gathered by the validator while it
 * walks the line, so that the estimate does not parse the line again: where the text parts in
 * {@code contents} and {@code systemInstruction} start (their code points are counted by the
 * estimate, {@link PlainStrings#stringCodePoints}, off the validating thread), how many {@code
 * fileData} / {@code inlineData} members their parts have, and {@code generationConfig}'s {@code
 * maxOutputTokens} (0 when unset) and {@code candidateCount} (at least 1).
 *
 * @param textQuotes the opening quote of each text value, as an offset from the line's first byte;
 *     the array is the line's own and is not changed after the record is made
 */
public record RequestCounts(
    int[] textQuotes, long mediaParts, long maxOutputTokens, long candidates) {}
