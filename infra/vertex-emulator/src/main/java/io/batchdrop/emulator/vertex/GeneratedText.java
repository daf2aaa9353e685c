package io.batchdrop.emulator.vertex;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonSerializable;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.jsontype.TypeSerializer;
import java.io.IOException;
import java.io.Reader;

/**
 * A JSON string of {@code length} characters: {@code prefix} then a repeated filler, written
 * straight into the generator from a {@link Reader} so a response of tens of megabytes is never
 * held as one string (nor twice: once as text, once serialized). ASCII only, so characters equal
 * bytes.
 */
record GeneratedText(String prefix, int length) implements JsonSerializable {

  static final String FILLER = " lorem ipsum dolor sit amet";

  GeneratedText {
    if (length < prefix.length()) {
      throw new IllegalArgumentException(
          "a generated text of " + length + " characters cannot hold its prefix");
    }
  }

  /** The character at {@code index}, which the tests check without building the text either. */
  char charAt(long index) {
    return index < prefix.length()
        ? prefix.charAt((int) index)
        : FILLER.charAt((int) ((index - prefix.length()) % FILLER.length()));
  }

  @Override
  public void serialize(JsonGenerator generator, SerializerProvider provider) throws IOException {
    generator.writeString(new TextReader(), length);
  }

  @Override
  public void serializeWithType(
      JsonGenerator generator, SerializerProvider provider, TypeSerializer typeSerializer)
      throws IOException {
    serialize(generator, provider);
  }

  private final class TextReader extends Reader {
    private long position;

    @Override
    public int read(char[] buffer, int offset, int count) {
      if (position >= length) {
        return -1;
      }
      int n = (int) Math.min(count, length - position);
      for (int i = 0; i < n; i++) {
        buffer[offset + i] = charAt(position++);
      }
      return n;
    }

    @Override
    public void close() {}
  }
}
