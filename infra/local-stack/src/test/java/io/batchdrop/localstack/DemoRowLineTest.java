package io.batchdrop.localstack;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import com.google.pubsub.v1.PubsubMessage;
import org.junit.jupiter.api.Test;

/** The demo's report prints one line per row, whatever the answer holds. */
class DemoRowLineTest {

  @Test
  void anAnswerWithLineBreaksAndTabsStaysOnTheRowsOneLineWithTheBreaksShownEscaped()
      throws Exception {
    PubsubMessage result =
        message(
            "succeeded",
            "{\"response\":{\"candidates\":[{\"content\":{\"parts\":[{\"text\":"
                + "\"echo: First line.\\nSecond\\tline.\\r\\n\"}]}}]}}");

    String line = Demo.rowLine(result);

    assertThat(line)
        .doesNotContain("\n", "\r", "\t")
        .isEqualTo(
            "  row 1   key ok-1         attempt 1  succeeded echo: First line.\\nSecond\\tline.\\r\\n");
  }

  @Test
  void aTerminalEscapeSequenceInAnAnswerIsShownNotSentToTheTerminal() throws Exception {
    PubsubMessage result =
        message(
            "succeeded",
            "{\"response\":{\"candidates\":[{\"content\":{\"parts\":[{\"text\":"
                + "\"\\u001b[2Jcleared\"}]}}]}}");

    assertThat(Demo.rowLine(result))
        .endsWith("succeeded \\u001b[2Jcleared")
        .doesNotContain("\u001b");
  }

  @Test
  void anInvalidRowsReasonIsShownWholeSoTheLineSaysWhatWasExpected() throws Exception {
    String reason =
        "line 7, column 121: request.contents[0].parts[1].fileData.fileUri is"
            + " \\\"https://example.com/cat.png\\\"; expected a Cloud Storage URI"
            + " gs://bucket/object: batch jobs read files from Cloud Storage";
    PubsubMessage result =
        message("invalid", "{\"error\":{\"code\":\"invalid\",\"message\":\"" + reason + "\"}}");

    assertThat(Demo.rowLine(result))
        .endsWith(
            "invalid   line 7, column 121: request.contents[0].parts[1].fileData.fileUri is"
                + " \"https://example.com/cat.png\"; expected a Cloud Storage URI"
                + " gs://bucket/object: batch jobs read files from Cloud Storage");
  }

  private static PubsubMessage message(String status, String data) {
    return PubsubMessage.newBuilder()
        .putAttributes("row", "1")
        .putAttributes("key", "ok-1")
        .putAttributes("attempt", "1")
        .putAttributes("status", status)
        .setData(ByteString.copyFromUtf8(data))
        .build();
  }
}
