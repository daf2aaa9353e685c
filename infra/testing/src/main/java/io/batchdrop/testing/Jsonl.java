package io.batchdrop.testing;

/**
 * Lines of a Batchdrop input file, as users write them: one Gemini request per line, with an
 * optional {@code key}. The prompt is written into JSON as it is, so it must need no escaping.
 */
public final class Jsonl {
  private Jsonl() {}

  /** A valid request with one user text part, without the line break. */
  public static String request(String prompt) {
    return "{\"request\":{\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\""
        + prompt
        + "\"}]}]}}";
  }

  /** A valid request carrying the user's key, without the line break. */
  public static String keyed(String key, String prompt) {
    return "{\"key\":\"" + key + "\"," + request(prompt).substring(1);
  }

  /** {@code count} valid requests, prompts {@code "<prefix> 1"} …, each ending in a line break. */
  public static String lines(int count, String prefix) {
    StringBuilder file = new StringBuilder();
    for (int i = 1; i <= count; i++) {
      file.append(request(prefix + " " + i)).append('\n');
    }
    return file.toString();
  }
}
