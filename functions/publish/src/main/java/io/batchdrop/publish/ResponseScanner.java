package io.batchdrop.publish;

import static com.fasterxml.jackson.core.JsonToken.END_ARRAY;
import static com.fasterxml.jackson.core.JsonToken.FIELD_NAME;
import static com.fasterxml.jackson.core.JsonToken.START_ARRAY;
import static com.fasterxml.jackson.core.JsonToken.START_OBJECT;
import static com.fasterxml.jackson.core.JsonToken.VALUE_STRING;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.batchdrop.pricing.TokenUsage;
import java.io.IOException;

/**
 * Walks a {@code response} object token by token (the bytes themselves are copied by {@link
 * LineSource}) and picks up the facts the result needs. Everything else is skipped: strings are
 * never read, so a response of any size costs no memory here. Accepts camelCase and snake_case
 * names, as proto JSON does.
 */
final class ResponseScanner {

  boolean empty = true;
  int candidates;
  String finishReason;
  TokenUsage usage;
  String blockReason;

  /** Reads from just after the response's START_OBJECT to its END_OBJECT, inclusive. */
  void scan(JsonParser p) throws IOException {
    while (p.nextToken() == FIELD_NAME) {
      empty = false;
      String name = p.currentName();
      JsonToken t = p.nextToken();
      switch (name) {
        case "candidates" -> candidates(p, t);
        case "usageMetadata", "usage_metadata" -> usage(p, t);
        case "promptFeedback", "prompt_feedback" -> promptFeedback(p, t);
        default -> p.skipChildren();
      }
    }
  }

  private void candidates(JsonParser p, JsonToken t) throws IOException {
    if (t != START_ARRAY) {
      p.skipChildren();
      return;
    }
    while (p.nextToken() != END_ARRAY) {
      if (candidates++ == 0 && p.currentToken() == START_OBJECT) {
        while (p.nextToken() == FIELD_NAME) {
          String name = p.currentName();
          JsonToken v = p.nextToken();
          if ((name.equals("finishReason") || name.equals("finish_reason")) && v == VALUE_STRING) {
            finishReason = p.getText();
          } else {
            p.skipChildren();
          }
        }
      } else {
        p.skipChildren();
      }
    }
  }

  private void usage(JsonParser p, JsonToken t) throws IOException {
    if (t != START_OBJECT) {
      p.skipChildren();
      return;
    }
    long prompt = 0, cached = 0, output = 0, thoughts = 0, toolUse = 0, total = 0;
    while (p.nextToken() == FIELD_NAME) {
      String name = p.currentName();
      p.nextToken();
      switch (name) {
        case "promptTokenCount", "prompt_token_count" -> prompt = count(p);
        case "cachedContentTokenCount", "cached_content_token_count" -> cached = count(p);
        case "candidatesTokenCount", "candidates_token_count" -> output = count(p);
        case "thoughtsTokenCount", "thoughts_token_count" -> thoughts = count(p);
        case "toolUsePromptTokenCount", "tool_use_prompt_token_count" -> toolUse = count(p);
        case "totalTokenCount", "total_token_count" -> total = count(p);
        default -> p.skipChildren();
      }
    }
    usage = new TokenUsage(prompt, cached, output, thoughts, toolUse, total);
  }

  /**
   * A token count: a whole number, or its decimal string (proto JSON may write integers as
   * strings), at most {@link Integer#MAX_VALUE}: every count of {@code usageMetadata} is an {@code
   * int32} in Gemini's proto, so a larger one is not a count the service can send, and summing such
   * values over a job's rows would overflow a long. Anything else, negative or past an int32,
   * counts as 0: a bad count must not cost the row, nor stop the job being published.
   */
  private static long count(JsonParser p) throws IOException {
    JsonToken t = p.currentToken();
    if (t == JsonToken.VALUE_NUMBER_INT) {
      JsonParser.NumberType type = p.getNumberType();
      if (type == JsonParser.NumberType.INT) {
        return Math.max(0, p.getIntValue());
      }
      return 0;
    }
    if (t == VALUE_STRING) {
      String text = p.getText();
      if (!text.isEmpty()
          && text.length() <= 10
          && text.chars().allMatch(c -> c >= '0' && c <= '9')) {
        long value = Long.parseLong(text);
        return value <= Integer.MAX_VALUE ? value : 0;
      }
      return 0;
    }
    p.skipChildren();
    return 0;
  }

  private void promptFeedback(JsonParser p, JsonToken t) throws IOException {
    if (t != START_OBJECT) {
      p.skipChildren();
      return;
    }
    while (p.nextToken() == FIELD_NAME) {
      String name = p.currentName();
      JsonToken v = p.nextToken();
      if ((name.equals("blockReason") || name.equals("block_reason")) && v == VALUE_STRING) {
        blockReason = p.getText();
      } else {
        p.skipChildren();
      }
    }
  }
}
