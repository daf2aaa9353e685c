package io.batchdrop.pricing;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.base.ParserBase;
import io.batchdrop.validation.PlainStrings;
import java.io.IOException;

/**
 * What one valid request line holds that the estimate needs: the characters of its text parts (in
 * contents and systemInstruction), how many fileData / inlineData parts it has, and its
 * generationConfig's maxOutputTokens (0 when unset) and candidateCount (1 when unset). Read token
 * by token from the line's bytes; nothing but these counts is kept.
 */
record RequestTokens(long textCharacters, long mediaParts, long maxOutputTokens, long candidates) {

  /** The validator already bounds a line's length; this only lifts Jackson's own string limit. */
  private static final JsonFactory FACTORY =
      JsonFactory.builder()
          .streamReadConstraints(
              StreamReadConstraints.builder().maxStringLength(Integer.MAX_VALUE).build())
          .build();

  static RequestTokens read(byte[] buffer, int offset, int length) throws IOException {
    try (JsonParser p = FACTORY.createParser(buffer, offset, length)) {
      Counter counter = new Counter(buffer, offset, offset + length);
      if (p.nextToken() == JsonToken.START_OBJECT) {
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String name = p.currentName();
          if (p.nextToken() == JsonToken.START_OBJECT && name.equals("request")) {
            counter.request(p);
          } else {
            p.skipChildren();
          }
        }
      }
      return new RequestTokens(
          counter.characters,
          counter.media,
          counter.maxOutputTokens,
          Math.max(1, counter.candidates));
    }
  }

  private static final class Counter {
    long characters;
    long media;
    long maxOutputTokens;
    long candidates = 1;
    private final byte[] line;
    private final int lineOffset;
    private final int lineEnd;

    Counter(byte[] line, int lineOffset, int lineEnd) {
      this.line = line;
      this.lineOffset = lineOffset;
      this.lineEnd = lineEnd;
    }

    /** At the request's START_OBJECT. */
    void request(JsonParser p) throws IOException {
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        JsonToken value = p.nextToken();
        switch (name) {
          case "contents" -> {
            if (value == JsonToken.START_ARRAY) {
              while (p.nextToken() == JsonToken.START_OBJECT) {
                content(p);
              }
            } else {
              p.skipChildren();
            }
          }
          case "systemInstruction", "system_instruction" -> {
            if (value == JsonToken.START_OBJECT) {
              content(p);
            } else {
              p.skipChildren();
            }
          }
          case "generationConfig", "generation_config" -> {
            if (value == JsonToken.START_OBJECT) {
              generationConfig(p);
            } else {
              p.skipChildren();
            }
          }
          default -> p.skipChildren();
        }
      }
    }

    /** At a content's START_OBJECT; parts is an array or (staging wraps it) a single object. */
    private void content(JsonParser p) throws IOException {
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        JsonToken value = p.nextToken();
        if (!name.equals("parts")) {
          p.skipChildren();
        } else if (value == JsonToken.START_ARRAY) {
          while (p.nextToken() == JsonToken.START_OBJECT) {
            part(p);
          }
        } else if (value == JsonToken.START_OBJECT) {
          part(p);
        }
      }
    }

    private void part(JsonParser p) throws IOException {
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        JsonToken value = p.nextToken();
        switch (name) {
          case "text" -> {
            if (value == JsonToken.VALUE_STRING) {
              // Code points, not UTF-16 units: "characters" as a person counts them.
              long plain = plainCodePoints(p);
              characters +=
                  plain >= 0
                      ? plain
                      : Character.codePointCount(
                          p.getTextCharacters(), p.getTextOffset(), p.getTextLength());
            }
          }
          case "fileData", "file_data", "inlineData", "inline_data" -> {
            media++;
            p.skipChildren();
          }
          default -> p.skipChildren();
        }
      }
    }

    /**
     * The code points of the current string value counted in the line's bytes, when it has no
     * backslash escape: in valid UTF-8 (the validator checked) every byte but a continuation byte
     * starts one. Saves decoding long prompts into chars only to count them. -1 when there is an
     * escape, or the value cannot be found in the line.
     */
    private long plainCodePoints(JsonParser p) {
      if (!(p instanceof ParserBase base)) {
        return -1;
      }
      // The offset after the token's first byte, the opening quote.
      long quote = base.getTokenCharacterOffset() - 1;
      int from = (int) Math.min(Integer.MAX_VALUE, lineOffset + quote + 1);
      if (quote < 0 || from > lineEnd || line[from - 1] != '"') {
        return -1;
      }
      return PlainStrings.plainCodePoints(line, from, lineEnd);
    }

    private void generationConfig(JsonParser p) throws IOException {
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        JsonToken value = p.nextToken();
        boolean number =
            value == JsonToken.VALUE_NUMBER_INT || value == JsonToken.VALUE_NUMBER_FLOAT;
        switch (name) {
          case "maxOutputTokens", "max_output_tokens" -> {
            if (number) {
              maxOutputTokens = p.getValueAsLong();
            }
          }
          case "candidateCount", "candidate_count" -> {
            if (number) {
              candidates = p.getValueAsLong();
            }
          }
          default -> p.skipChildren();
        }
      }
    }
  }
}
