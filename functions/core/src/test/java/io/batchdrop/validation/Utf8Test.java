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
