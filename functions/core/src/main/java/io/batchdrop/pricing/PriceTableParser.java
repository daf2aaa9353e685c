package io.batchdrop.pricing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads a price table strictly: an unknown field is an error (a misspelt "cachedInputs" would
 * otherwise drop a price silently), and every message names the model and the field and says what
 * was expected. The table is small, so it is read as a tree.
 */
final class PriceTableParser {
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

  private static final Set<String> TOP = Set.of("note", "backends");
  private static final Set<String> BACKEND = Set.of("note", "models");
  private static final Set<String> MODEL =
      Set.of(
          "note",
          "input",
          "output",
          "cachedInput",
          "longContext",
          "batchDiscount",
          "maxOutputTokens");
  private static final Set<String> TIER =
      Set.of("note", "aboveTokens", "checked", "source", "input", "output", "cachedInput");
  private static final Set<String> PRICE = Set.of("note", "usdPerMillion", "checked", "source");
  private static final Set<String> DISCOUNT = Set.of("note", "fraction", "checked", "source");
  private static final Set<String> MAX_OUTPUT = Set.of("note", "tokens", "checked", "source");

  private PriceTableParser() {}

  static Map<String, ModelPrice> parse(InputStream in, String backend) throws IOException {
    byte[] bytes = in.readNBytes(PriceTable.MAX_BYTES + 1);
    if (bytes.length > PriceTable.MAX_BYTES) {
      throw new PriceTableException(
          "price table: larger than " + (PriceTable.MAX_BYTES >> 20) + " MiB; expected a few KB");
    }
    JsonNode root;
    try {
      root = JSON.readTree(bytes);
    } catch (JsonProcessingException e) {
      throw new PriceTableException(
          "price table: not valid JSON ("
              + e.getOriginalMessage()
              + " at line "
              + e.getLocation().getLineNr()
              + "); expected an object {\"backends\": {...}}",
          e);
    }
    if (root == null || !root.isObject()) {
      throw new PriceTableException(
          "price table: expected an object {\"backends\": {\"vertex\": {\"models\": {...}}}}");
    }
    Where top = new Where("price table", "");
    fields(root, TOP, top);
    JsonNode backends = object(root, "backends", top);
    JsonNode chosen = backends.get(backend);
    if (chosen == null || !chosen.isObject()) {
      throw new PriceTableException(
          "price table: no backend \""
              + backend
              + "\" under backends; expected one of "
              + names(backends));
    }
    Where where = new Where("price table, backend " + backend, "");
    fields(chosen, BACKEND, where);
    JsonNode models = object(chosen, "models", where);
    Map<String, ModelPrice> prices = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = models.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> entry = it.next();
      prices.put(entry.getKey(), model(entry.getKey(), entry.getValue(), backend));
    }
    return prices;
  }

  private static ModelPrice model(String name, JsonNode node, String backend)
      throws PriceTableException {
    Where where = new Where("price table, backend " + backend + ", model \"" + name + "\"", "");
    if (name.isBlank()) {
      throw new PriceTableException(
          where.context() + ": expected a model name such as gemini-2.5-flash");
    }
    if (!node.isObject()) {
      throw where.error(
          "", node, "an object with input, output, cachedInput, batchDiscount, maxOutputTokens");
    }
    fields(node, MODEL, where);
    Optional<LongContextTier> tier = Optional.empty();
    if (node.has("longContext")) {
      tier = Optional.of(tier(object(node, "longContext", where), where.in("longContext")));
    }
    return new ModelPrice(
        name,
        price(object(node, "input", where), where.in("input")),
        price(object(node, "output", where), where.in("output")),
        price(object(node, "cachedInput", where), where.in("cachedInput")),
        tier,
        discount(object(node, "batchDiscount", where), where.in("batchDiscount")),
        maxOutput(object(node, "maxOutputTokens", where), where.in("maxOutputTokens")));
  }

  private static LongContextTier tier(JsonNode node, Where where) throws PriceTableException {
    fields(node, TIER, where);
    return new LongContextTier(
        count(node, "aboveTokens", where, "a whole number of prompt tokens, at least 1"),
        price(object(node, "input", where), where.in("input")),
        price(object(node, "output", where), where.in("output")),
        price(object(node, "cachedInput", where), where.in("cachedInput")),
        date(node, where),
        source(node, where));
  }

  private static Price price(JsonNode node, Where where) throws PriceTableException {
    fields(node, PRICE, where);
    JsonNode usd = node.get("usdPerMillion");
    if (usd == null || !usd.isNumber() || usd.decimalValue().signum() < 0) {
      throw where.error(
          "usdPerMillion", usd, "a number of US dollars per million tokens, 0 or more (e.g. 0.30)");
    }
    return new Price(usd.decimalValue(), date(node, where), source(node, where));
  }

  private static BatchDiscount discount(JsonNode node, Where where) throws PriceTableException {
    fields(node, DISCOUNT, where);
    JsonNode fraction = node.get("fraction");
    if (fraction == null
        || !fraction.isNumber()
        || fraction.decimalValue().signum() < 0
        || fraction.decimalValue().compareTo(BigDecimal.ONE) >= 0) {
      throw where.error(
          "fraction",
          fraction,
          "the share taken off standard prices, from 0 up to but not 1 (0.5 is half price)");
    }
    return new BatchDiscount(fraction.decimalValue(), date(node, where), source(node, where));
  }

  private static MaxOutput maxOutput(JsonNode node, Where where) throws PriceTableException {
    fields(node, MAX_OUTPUT, where);
    return new MaxOutput(
        count(node, "tokens", where, "a whole number of output tokens, at least 1"),
        date(node, where),
        source(node, where));
  }

  private static long count(JsonNode node, String field, Where where, String expected)
      throws PriceTableException {
    JsonNode value = node.get(field);
    if (value == null
        || !value.isIntegralNumber()
        || !value.canConvertToLong()
        || value.asLong() < 1) {
      throw where.error(field, value, expected);
    }
    return value.asLong();
  }

  private static LocalDate date(JsonNode node, Where where) throws PriceTableException {
    JsonNode value = node.get("checked");
    if (value != null && value.isTextual()) {
      try {
        return LocalDate.parse(value.asText());
      } catch (DateTimeParseException e) {
        // reported below, with the expected form
      }
    }
    throw where.error("checked", value, "the date the price was checked, as YYYY-MM-DD");
  }

  private static URI source(JsonNode node, Where where) throws PriceTableException {
    JsonNode value = node.get("source");
    if (value != null && value.isTextual()) {
      try {
        URI uri = new URI(value.asText());
        if (("https".equals(uri.getScheme()) || "http".equals(uri.getScheme()))
            && uri.getHost() != null) {
          return uri;
        }
      } catch (URISyntaxException e) {
        // reported below, with the expected form
      }
    }
    throw where.error(
        "source", value, "the URL of the page the figure was read from (https://...)");
  }

  private static JsonNode object(JsonNode parent, String field, Where where)
      throws PriceTableException {
    JsonNode value = parent.get(field);
    if (value == null || !value.isObject()) {
      throw where.error(field, value, "an object");
    }
    return value;
  }

  private static void fields(JsonNode node, Set<String> known, Where where)
      throws PriceTableException {
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String name = it.next();
      if (!known.contains(name)) {
        throw new PriceTableException(
            where.context()
                + ": unknown field "
                + where.path(name)
                + "; expected one of "
                + String.join(", ", known.stream().sorted().toList()));
      }
    }
  }

  private static String names(JsonNode object) {
    StringBuilder names = new StringBuilder();
    object.fieldNames().forEachRemaining(n -> names.append(names.isEmpty() ? "" : ", ").append(n));
    return names.isEmpty() ? "(none: backends is empty)" : names.toString();
  }

  /** Where in the table a field is: "price table, backend vertex, model "x"" and "input.". */
  private record Where(String context, String prefix) {
    Where in(String field) {
      return new Where(context, prefix + field + ".");
    }

    String path(String field) {
      String path = prefix + field;
      return path.endsWith(".") ? path.substring(0, path.length() - 1) : path;
    }

    PriceTableException error(String field, JsonNode value, String expected) {
      String what =
          value == null || value.isMissingNode() ? "missing" : "is " + abbreviate(value.toString());
      String at = path(field).isEmpty() ? "" : " " + path(field);
      return new PriceTableException(context + ":" + at + " " + what + "; expected " + expected);
    }

    private static String abbreviate(String json) {
      return json.length() <= 60 ? json : json.substring(0, 57) + "...";
    }
  }
}
