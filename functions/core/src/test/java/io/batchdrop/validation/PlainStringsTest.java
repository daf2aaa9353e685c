package io.batchdrop.validation;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The word-at-a-time string scan agrees with a byte-by-byte one. */
class PlainStringsTest {

  @Test
  void findsTheClosingQuoteAndCountsCodePointsAsAByteByByteScanDoes() {
    Random random = new Random(99);
    String[] pieces = {"a", "bc", " ", "\"", "\\", "é", "中", "😀", "xyzxyzxyz", "/"};
    for (int round = 0; round < 2_000; round++) {
      ByteArrayOutputStream text = new ByteArrayOutputStream();
      int n = random.nextInt(60);
      for (int i = 0; i < n; i++) {
        // Quotes and backslashes rarer than text, so the scan often runs a while.
        String piece = pieces[random.nextInt(random.nextInt(3) == 0 ? pieces.length : 3)];
        text.writeBytes(piece.getBytes(StandardCharsets.UTF_8));
      }
      byte[] b = text.toByteArray();
      int from = b.length == 0 ? 0 : random.nextInt(b.length);
      for (boolean stopAtFourByte : new boolean[] {false, true}) {
        int expected = naiveEnd(b, from, stopAtFourByte);
        assertThat(PlainStrings.end(b, from, b.length, stopAtFourByte))
            .as("round %d from %d stop %s", round, from, stopAtFourByte)
            .isEqualTo(expected);
      }
      // The same scan counting the code points before the quote: -1 wherever end() finds none.
      int end = naiveEnd(b, 0, false);
      String decoded = end < 0 ? "" : new String(b, 0, end, StandardCharsets.UTF_8);
      assertThat(PlainStrings.plainCodePoints(b, 0, b.length))
          .as("round %d", round)
          .isEqualTo(end < 0 ? -1 : decoded.codePointCount(0, decoded.length()));
    }
  }

  private static int naiveEnd(byte[] b, int from, boolean stopAtFourByte) {
    for (int i = from; i < b.length; i++) {
      if (b[i] == '"') {
        return i;
      }
      if (b[i] == '\\' || (stopAtFourByte && (b[i] & 0xF8) == 0xF0)) {
        return -1;
      }
    }
    return -1;
  }

  @Test
  void aStringCountsAsItsDecodedTextDoesEscapesAndSurrogatePairsIncluded() throws Exception {
    com.fasterxml.jackson.databind.ObjectMapper json =
        new com.fasterxml.jackson.databind.ObjectMapper();
    String[] strings = {
      "\"plain\"",
      "\"caf\\u00e9 \\\" \\\\ \\/ \\n\"",
      "\"\\ud83d\\ude00 😀 \\ud800 \\udc00\\ud83d 请\"",
      "\"\\uDBFF\\uDFFF\\u0041\"",
      "\"\""
    };
    for (String s : strings) {
      byte[] b = (s + ",\"next\":1}").getBytes(StandardCharsets.UTF_8);
      String text = json.readValue(s, String.class);
      assertThat(PlainStrings.literalEnd(b, 1, b.length))
          .as(s)
          .isEqualTo(s.getBytes(StandardCharsets.UTF_8).length - 1);
      assertThat(PlainStrings.stringCodePoints(b, 1, b.length))
          .as(s)
          .isEqualTo(text.codePointCount(0, text.length()));
    }
  }

  @Test
  void aPlainStringOfAnyLengthAndAlignmentCountsAsItsDecodedText() {
    java.util.Random random = new java.util.Random(6);
    String[] pieces = {"a", "Z", " ", "é", "ß", "请", "語", "😀", "𝄞", "\u007f"};
    for (int n = 0; n < 2_000; n++) {
      StringBuilder text = new StringBuilder();
      int length = random.nextInt(40);
      for (int k = 0; k < length; k++) {
        text.append(pieces[random.nextInt(pieces.length)]);
      }
      // The string's start at every alignment; what follows its quote is not counted, multibyte or
      // not.
      String lead = "x".repeat(random.nextInt(8));
      byte[] b = (lead + "\"" + text + "\",\"é請😀\":\"tail\\n\"}").getBytes(StandardCharsets.UTF_8);
      int from = lead.length() + 1;
      assertThat(PlainStrings.stringCodePoints(b, from, b.length))
          .as("%s at %d", text, from)
          .isEqualTo(text.codePointCount(0, text.length()));
      // Cut before the closing quote: no count, whatever the alignment.
      int quote = from + text.toString().getBytes(StandardCharsets.UTF_8).length;
      assertThat(PlainStrings.stringCodePoints(b, from, quote)).as("cut %s", text).isEqualTo(-1);
    }
  }

  @Test
  void aStringOrAnEscapeCutShortHasNoCount() {
    for (String cut : new String[] {"\"no end", "\"a\\", "\"a\\u00", "\"a\\u00zz\"", ""}) {
      byte[] b = cut.getBytes(StandardCharsets.UTF_8);
      assertThat(PlainStrings.stringCodePoints(b, Math.min(1, b.length), b.length))
          .as(cut)
          .isEqualTo(-1);
      if (!cut.contains("zz")) { // literalEnd does not check escapes: the validator did
        assertThat(PlainStrings.literalEnd(b, Math.min(1, b.length), b.length))
            .as(cut)
            .isEqualTo(-1);
      }
    }
  }
}
