package io.batchdrop.emulator.vertex;

/** Input lines as the submit function stages them: a {@code key} sibling and a row label. */
final class InputLines {

  private InputLines() {}

  static String prompt(String key, String text) {
    return "{\"key\":\""
        + key
        + "\",\"request\":{\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\""
        + text
        + "\"}]}],\"labels\":{\"batchdrop_row\":\""
        + key
        + "\"}}}";
  }
}
