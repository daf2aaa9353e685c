package io.batchdrop.pricing;

/**
 * Tokens of one response or of many summed, in the kinds Gemini's {@code usageMetadata} reports and
 * bills separately: prompt (input, cached part included), cached (the part of the prompt read from
 * the context cache), candidates (output), thoughts (thinking, billed as output), tool-use prompt,
 * and the total the service reports. Absent counts are zero.
 */
public record TokenUsage(
    long prompt, long cached, long candidates, long thoughts, long toolUse, long total) {
  public static final TokenUsage ZERO = new TokenUsage(0, 0, 0, 0, 0, 0);

  public TokenUsage {
    if (prompt < 0 || cached < 0 || candidates < 0 || thoughts < 0 || toolUse < 0 || total < 0) {
      throw new IllegalArgumentException("token counts are never negative");
    }
  }

  public TokenUsage plus(TokenUsage other) {
    return new TokenUsage(
        prompt + other.prompt,
        cached + other.cached,
        candidates + other.candidates,
        thoughts + other.thoughts,
        toolUse + other.toolUse,
        total + other.total);
  }

  /** Output as billed: the candidates and the thinking. */
  public long billedOutput() {
    return candidates + thoughts;
  }
}
