package io.batchdrop.cloud.results;

import com.google.pubsub.v1.PubsubMessage;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.CoderResult;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;

/**
 * What Pub/Sub refuses, checked before it refuses it (reference: pubsub quotas): an attribute key
 * over 256 bytes or value over 1,024 bytes (UTF-8 bytes, not characters), more than 100 attributes,
 * a message over 10 MB. The Java client enforces none of them.
 */
public final class PubSubLimits {
  public static final int MAX_ATTRIBUTE_KEY_BYTES = 256;
  public static final int MAX_ATTRIBUTE_VALUE_BYTES = 1024;
  public static final int MAX_ATTRIBUTES = 100;
  public static final int MAX_MESSAGE_BYTES = 10_000_000;

  /**
   * Room kept for attributes and framing: a result whose data is larger than this goes to {@code
   * payloads/} and the message carries {@code payload_uri} instead.
   */
  public static final int MAX_RESULT_DATA_BYTES = MAX_MESSAGE_BYTES - 200_000;

  private PubSubLimits() {}

  /**
   * The longest prefix of {@code value} that fits in {@code maxBytes} of UTF-8, whole characters
   * only.
   */
  public static String cut(String value, int maxBytes) {
    if (value.length() * 3 <= maxBytes
        || value.getBytes(StandardCharsets.UTF_8).length <= maxBytes) {
      return value;
    }
    CharsetEncoder encoder = StandardCharsets.UTF_8.newEncoder();
    ByteBuffer out = ByteBuffer.allocate(maxBytes);
    CharBuffer in = CharBuffer.wrap(value);
    CoderResult result = encoder.encode(in, out, true);
    // Stops before a character (or surrogate pair) that would not fit whole.
    return result.isOverflow() ? value.substring(0, in.position()) : value;
  }

  /** The first limit the message breaks, if any. */
  public static Optional<String> problem(PubsubMessage message) {
    if (message.getAttributesCount() > MAX_ATTRIBUTES) {
      return Optional.of(message.getAttributesCount() + " attributes; at most " + MAX_ATTRIBUTES);
    }
    for (Map.Entry<String, String> attribute : message.getAttributesMap().entrySet()) {
      int key = utf8Length(attribute.getKey(), MAX_ATTRIBUTE_KEY_BYTES);
      int value = utf8Length(attribute.getValue(), MAX_ATTRIBUTE_VALUE_BYTES);
      if (key > MAX_ATTRIBUTE_KEY_BYTES) {
        return Optional.of(
            "attribute key of " + key + " bytes; at most " + MAX_ATTRIBUTE_KEY_BYTES);
      }
      if (value > MAX_ATTRIBUTE_VALUE_BYTES) {
        return Optional.of(
            "attribute "
                + attribute.getKey()
                + " of "
                + value
                + " bytes; at most "
                + MAX_ATTRIBUTE_VALUE_BYTES);
      }
    }
    if (mayPassMessageLimit(message) && message.getSerializedSize() > MAX_MESSAGE_BYTES) {
      return Optional.of(
          "message of "
              + message.getSerializedSize()
              + " bytes; Pub/Sub accepts at most "
              + MAX_MESSAGE_BYTES);
    }
    return Optional.empty();
  }

  /**
   * False when the message cannot pass the size limit whatever its attributes hold: by now each is
   * within its key and value limits, so a bound from the data's size and the attribute count
   * decides for every result message (its data is kept below {@link #MAX_RESULT_DATA_BYTES}). The
   * exact size encodes every attribute's UTF-8 again, and was a thirtieth of publish's CPU.
   */
  private static boolean mayPassMessageLimit(PubsubMessage message) {
    long framing = 16; // a field's tag and length varint, generously
    long bound =
        message.getData().size()
            + framing
            + message.getAttributesCount()
                * (MAX_ATTRIBUTE_KEY_BYTES + MAX_ATTRIBUTE_VALUE_BYTES + 2 * framing)
            + 3L * message.getOrderingKey().length()
            + 3L * message.getMessageId().length()
            + 4 * framing; // ordering key, message id, publish time
    return bound > MAX_MESSAGE_BYTES;
  }

  /**
   * The UTF-8 length of {@code s}, or just its char count when even three bytes a char would fit
   * {@code max}: every result message is checked, and encoding each attribute was a twentieth of
   * publish's CPU.
   */
  private static int utf8Length(String s, int max) {
    return s.length() * 3 <= max ? s.length() : s.getBytes(StandardCharsets.UTF_8).length;
  }
}
