package io.batchdrop.validation;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The UTF-8 check agrees with the JDK's strict decoder on every input, except that it also refuses
 * NUL, which is valid UTF-8 but no part of a text file.
 */
class Utf8Test {

  @Test
  void agreesWithTheJdkDecoderOnRandomAndEdgeBytes() {
    Random random = new Random(7);
    byte[] alphabet = {
      'a',
      '"',
      (byte) 0x80,
      (byte) 0xBF,
      (byte) 0xC0,
      (byte) 0xC2,
      (byte) 0xDF,
      (byte) 0xE0,
      (byte) 0xA0,
      (byte) 0x9F,
      (byte) 0xED,
      (byte) 0xEF,
      (byte) 0xF0,
      (byte) 0x90,
      (byte) 0x8F,
      (byte) 0xF4,
      (byte) 0xF5,
      (byte) 0xFF
    };
    for (int n = 0; n < 200_000; n++) {
      byte[] b = new byte[random.nextInt(14)];
      for (int i = 0; i < b.length; i++) {
        b[i] =
            random.nextInt(3) == 0
                ? (byte) random.nextInt(256)
                : alphabet[random.nextInt(alphabet.length)];
      }
      assertThat(Utf8.firstInvalid(b, 0, b.length) < 0)
          .as("%s", java.util.HexFormat.of().formatHex(b))
          .isEqualTo(jdkAccepts(b) && !hasNul(b));
    }
  }

  @Test
  void pointsAtTheFirstBadByteAfterLongRunsOfText() {
    byte[] text = ("ascii and 中文 and 😀 ".repeat(20)).getBytes(StandardCharsets.UTF_8);
    byte[] b = java.util.Arrays.copyOf(text, text.length + 1);
    b[text.length] = (byte) 0xC3;

    assertThat(Utf8.firstInvalid(text, 0, text.length)).isEqualTo(-1);
    assertThat(Utf8.firstInvalid(b, 0, b.length)).isEqualTo(text.length);
    assertThat(Utf8.firstInvalid(b, 3, b.length)).isEqualTo(text.length);
  }

  @Test
  void pointsAtANulAfterLongRunsOfText() {
    byte[] text = ("ascii and 中文 ".repeat(20)).getBytes(StandardCharsets.UTF_8);
    byte[] b = java.util.Arrays.copyOf(text, text.length + 9);
    java.util.Arrays.fill(b, text.length, b.length, (byte) 'x');
    b[text.length + 5] = 0;

    assertThat(Utf8.firstInvalid(b, 0, b.length)).isEqualTo(text.length + 5);
    assertThat(Utf8.firstInvalid(b, 0, text.length + 5)).isEqualTo(-1);
  }

  @Test
  void theLenientScanFlagsExactlyWhatJacksonDoesNotCheckAndLeavesTheRest() {
    // Every byte pair, at every position in a word, among ASCII text.
    for (int c = 0; c < 256; c++) {
      for (int next = 0; next < 256; next++) {
        for (int at = 0; at < 10; at++) {
          byte[] b = new byte[24];
          java.util.Arrays.fill(b, (byte) 'a');
          b[at] = (byte) c;
          b[at + 1] = (byte) next;
          long scan = Utf8.scanLenient(b, 0, b.length, true);
          int expected = firstFlagged(b, b.length);
          long stop = scan & Utf8.STOP;
          String what = String.format("%02X %02X at %d", c, next, at);
          if (expected < 0) {
            assertThat(stop).as(what).isZero();
            assertThat((int) scan).as(what).isEqualTo(b.length);
          } else if (b[expected] == '\n') {
            assertThat(stop).as(what).isEqualTo(Utf8.LF);
            assertThat((int) scan).as(what).isEqualTo(expected);
          } else {
            assertThat(stop).as(what).isEqualTo(Utf8.SUSPECT);
            assertThat((int) scan).as(what).isEqualTo(expected);
          }
          boolean highBefore = false;
          int end = expected < 0 ? b.length : expected;
          for (int i = 0; i < end; i++) {
            highBefore |= b[i] < 0;
          }
          // As scanLine has it: a stop at a flagged byte (NUL included) counts as non-ASCII.
          assertThat((scan & Utf8.NON_ASCII) != 0)
              .as(what)
              .isEqualTo(stop == Utf8.SUSPECT || highBefore);
        }
      }
    }
  }

  @Test
  void theLenientScanLeavesValidTextInEveryScriptAlone() {
    byte[] text =
        "{\"t\":\"café Ж 中文 한국어 가 \uD7FF \uE000 \uFFFF 😀 \uDBFF\uDFFF \u0800\"}"
            .getBytes(StandardCharsets.UTF_8);
    long scan = Utf8.scanLenient(text, 0, text.length, true);
    assertThat(scan & Utf8.STOP).isZero();
    assertThat((int) scan).isEqualTo(text.length);
    assertThat(scan & Utf8.NON_ASCII).isEqualTo(Utf8.NON_ASCII);
  }

  @Test
  void aLeadTheLenientScanMustCheckIsIncompleteWhenItsNextByteIsNotReadYet() {
    for (int lead : new int[] {0xE0, 0xED, 0xF0, 0xF4}) {
      byte[] b = {'a', 'b', (byte) lead};
      long more = Utf8.scanLenient(b, 0, b.length, false);
      assertThat(more & Utf8.STOP).isEqualTo(Utf8.INCOMPLETE);
      assertThat((int) more).isEqualTo(2);
      long atEnd = Utf8.scanLenient(b, 0, b.length, true);
      assertThat(atEnd & Utf8.STOP).isEqualTo(Utf8.SUSPECT);
      assertThat((int) atEnd).isEqualTo(2);
    }
  }

  /**
   * What the lenient scan must flag, byte by byte: NUL, C0, C1, F5..FF, and E0, ED, F0, F4 whose
   * next byte is not the one their sequence allows (missing counts as wrong at the end); or an LF.
   */
  private static int firstFlagged(byte[] b, int to) {
    for (int i = 0; i < to; i++) {
      int c = b[i] & 0xFF;
      int n = i + 1 < to ? b[i + 1] & 0xFF : -1;
      boolean flagged =
          c == '\n'
              || c == 0
              || c == 0xC0
              || c == 0xC1
              || c >= 0xF5
              || (c == 0xE0 && (n < 0xA0 || n > 0xBF))
              || (c == 0xED && (n < 0x80 || n > 0x9F))
              || (c == 0xF0 && (n < 0x90 || n > 0xBF))
              || (c == 0xF4 && (n < 0x80 || n > 0x8F));
      if (flagged) {
        return i;
      }
      if (c == 0xE0 || c == 0xED || c == 0xF0 || c == 0xF4) {
        i++; // the next byte was checked with its lead
      }
    }
    return -1;
  }

  private static boolean hasNul(byte[] b) {
    for (byte x : b) {
      if (x == 0) {
        return true;
      }
    }
    return false;
  }

  private static boolean jdkAccepts(byte[] b) {
    try {
      StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(b));
      return true;
    } catch (CharacterCodingException e) {
      return false;
    }
  }
}
