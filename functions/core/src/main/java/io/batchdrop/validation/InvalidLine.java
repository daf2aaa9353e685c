package io.batchdrop.validation;

import java.util.List;

/**
 * A line with at least one ERROR finding.
 *
 * @param row 1-based physical line number in the file
 * @param key the user's {@code key} when it could be read as a non-empty string, else {@code
 *     row-{row}}
 * @param raw the line's bytes (without the line terminator), or null when the line exceeded
 *     maxLineBytes
 * @param rawLength the line's length in bytes
 * @param findings all findings of this line, errors and warnings
 */
public record InvalidLine(
    long row, String key, byte[] raw, long rawLength, List<Finding> findings) {}
