package io.batchdrop.emulator.vertex;

import com.google.cloud.aiplatform.v1.BatchPredictionJob;
import io.batchdrop.emulator.vertex.FilterLexer.Kind;
import io.batchdrop.emulator.vertex.FilterLexer.Token;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.List;
import java.util.function.Predicate;

/**
 * Parses the {@code filter} of ListBatchPredictionJobs (the AIP-160 grammar: {@code AND}, {@code
 * OR} — which binds tighter than AND —, {@code NOT}, parentheses, juxtaposition as AND) into a
 * predicate. Anything it does not understand is INVALID_ARGUMENT, never ignored.
 */
final class FilterParser {

  private final List<Token> tokens;
  private int next;

  private FilterParser(List<Token> tokens) {
    this.tokens = tokens;
  }

  static Predicate<BatchPredictionJob> parse(String filter) {
    if (filter.isBlank()) {
      return job -> true;
    }
    FilterParser parser = new FilterParser(FilterLexer.tokens(filter));
    Predicate<BatchPredictionJob> predicate = parser.expression();
    if (parser.peek().kind() != Kind.END) {
      throw parser.unexpected();
    }
    return predicate;
  }

  static StatusRuntimeException invalid(String detail) {
    return Status.INVALID_ARGUMENT
        .withDescription("Invalid filter: " + detail)
        .asRuntimeException();
  }

  private Predicate<BatchPredictionJob> expression() {
    Predicate<BatchPredictionJob> result = sequence();
    while (peek().isKeyword("AND")) {
      next++;
      result = result.and(sequence());
    }
    return result;
  }

  private Predicate<BatchPredictionJob> sequence() {
    Predicate<BatchPredictionJob> result = factor();
    while (startsTerm(peek())) {
      result = result.and(factor());
    }
    return result;
  }

  private Predicate<BatchPredictionJob> factor() {
    Predicate<BatchPredictionJob> result = term();
    while (peek().isKeyword("OR")) {
      next++;
      result = result.or(term());
    }
    return result;
  }

  private Predicate<BatchPredictionJob> term() {
    Token token = peek();
    if (token.isKeyword("NOT")) {
      next++;
      return term().negate();
    }
    if (token.kind() == Kind.OPEN) {
      next++;
      Predicate<BatchPredictionJob> inner = expression();
      expect(Kind.CLOSE);
      return inner;
    }
    return restriction();
  }

  private Predicate<BatchPredictionJob> restriction() {
    Token field = expect(Kind.WORD);
    if (field.isKeyword("AND") || field.isKeyword("OR")) {
      throw invalid("unexpected " + field.text() + " at position " + field.position());
    }
    Token operator = expect(Kind.OPERATOR);
    Token value = peek();
    if (value.kind() != Kind.STRING && (value.kind() != Kind.WORD || isKeyword(value))) {
      throw unexpected();
    }
    next++;
    return JobFilterFields.restriction(field.text(), operator.text(), value.text());
  }

  private static boolean startsTerm(Token token) {
    return token.kind() == Kind.OPEN
        || (token.kind() == Kind.WORD && !token.isKeyword("AND") && !token.isKeyword("OR"));
  }

  private static boolean isKeyword(Token token) {
    return token.isKeyword("AND") || token.isKeyword("OR") || token.isKeyword("NOT");
  }

  private Token expect(Kind kind) {
    Token token = peek();
    if (token.kind() != kind) {
      throw unexpected();
    }
    next++;
    return token;
  }

  private Token peek() {
    return tokens.get(next);
  }

  private StatusRuntimeException unexpected() {
    Token token = peek();
    return token.kind() == Kind.END
        ? invalid("unexpected end of filter")
        : invalid("unexpected '" + token.text() + "' at position " + token.position());
  }
}
