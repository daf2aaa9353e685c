package io.batchdrop.cli.bench;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

/** Prompt-like text of a given size in UTF-8 bytes, mostly English with some other scripts. */
final class Words {
  private static final String[] ENGLISH =
      ("the a of to and in is for on with as by this that from at be are was it or an which "
              + "order customer invoice delivery shipment refund account payment product review summary "
              + "please explain translate summarize describe compare list write answer question report "
              + "meeting contract clause policy warranty battery screen camera software update error "
              + "quickly clearly politely briefly detailed important urgent late missing broken new")
          .split(" ");
  private static final String[] OTHER = {
    "请总结这段文字的要点",
    "客户说包裹还没有到",
    "Größenordnung",
    "Straße",
    "naïve",
    "café",
    "déjà vu",
    "日本語のテキストを翻訳してください",
    "Привет, как дела",
    "ñandú",
    "Ελληνικά",
    "한국어 요약",
    "👍",
  };

  private final SplittableRandom random;

  Words(SplittableRandom random) {
    this.random = random;
  }

  /** Text of close to, and at most, {@code bytes} UTF-8 bytes (at least one word). */
  String text(int bytes) {
    StringBuilder text = new StringBuilder(bytes);
    int size = 0;
    boolean sentenceStart = true;
    while (true) {
      String word =
          random.nextInt(40) == 0
              ? OTHER[random.nextInt(OTHER.length)]
              : ENGLISH[random.nextInt(ENGLISH.length)];
      if (sentenceStart) {
        word = Character.toUpperCase(word.charAt(0)) + word.substring(1);
      }
      boolean end = random.nextInt(12) == 0;
      String piece = (size == 0 ? "" : " ") + word + (end ? "." : "");
      int pieceBytes = piece.getBytes(StandardCharsets.UTF_8).length;
      if (size + pieceBytes > bytes && size > 0) {
        return text.toString();
      }
      text.append(piece);
      size += pieceBytes;
      sentenceStart = end;
    }
  }
}
