package io.batchdrop.pricing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class PriceTableTest {
  private final PriceTable table = PriceTable.builtIn();

  private static TokenUsage prompt(long prompt) {
    return new TokenUsage(prompt, 0, 0, 0, 0, prompt);
  }

  private static BigDecimal usd(String amount) {
    return new BigDecimal(amount);
  }

  @Test
  void freshInputIsBilledAtHalfTheStandardInputPrice() {
    // gemini-2.5-flash: 0.30 per 1M; batch 50 % off: 1,000,000 tokens -> 0.15
    Cost cost = table.cost("gemini-2.5-flash", prompt(1_000_000)).orElseThrow();

    assertThat(cost).isEqualTo(Cost.of(usd("0.15"), BigDecimal.ZERO, BigDecimal.ZERO));
    assertThat(table.standardCost("gemini-2.5-flash", prompt(1_000_000)).orElseThrow().totalUsd())
        .isEqualByComparingTo("0.30");
  }

  @Test
  void thinkingIsBilledAsOutput() {
    // 300,000 candidates + 100,000 thoughts = 400,000 x 2.50 / 1M x 0.5 = 0.50
    TokenUsage usage = new TokenUsage(0, 0, 300_000, 100_000, 0, 400_000);

    Cost cost = table.cost("gemini-2.5-flash", usage).orElseThrow();

    assertThat(cost.outputUsd()).isEqualByComparingTo("0.5");
    assertThat(cost.totalUsd()).isEqualByComparingTo("0.5");
  }

  @Test
  void cachedTokensArePartOfThePromptAndBilledAtTheCachePriceWithoutTheBatchDiscount() {
    // prompt 100,000 of which 40,000 cached: fresh 60,000 x 0.30 / 1M x 0.5 = 0.009;
    // cached 40,000 x 0.03 / 1M = 0.0012 (cache and batch discounts do not stack)
    TokenUsage usage = new TokenUsage(100_000, 40_000, 0, 0, 0, 100_000);

    Cost cost = table.cost("gemini-2.5-flash", usage).orElseThrow();

    assertThat(cost.inputUsd()).isEqualByComparingTo("0.009");
    assertThat(cost.cachedInputUsd()).isEqualByComparingTo("0.0012");
    assertThat(cost.totalUsd()).isEqualByComparingTo("0.0102");
  }

  @Test
  void toolUsePromptTokensAreBilledAsInput() {
    // 1,000 prompt + 500 tool-use = 1,500 x 0.30 / 1M x 0.5 = 0.000225
    TokenUsage usage = new TokenUsage(1_000, 0, 0, 0, 500, 1_500);

    assertThat(table.cost("gemini-2.5-flash", usage).orElseThrow().inputUsd())
        .isEqualByComparingTo("0.000225");
  }

  @Test
  void aPromptOfExactlyTheThresholdStaysInTheStandardTier() {
    // gemini-2.5-pro: 200,000 x 1.25 / 1M x 0.5 = 0.125
    assertThat(table.cost("gemini-2.5-pro", prompt(200_000)).orElseThrow().totalUsd())
        .isEqualByComparingTo("0.125");
    assertThat(table.price("gemini-2.5-pro").orElseThrow().isLongContext(200_000)).isFalse();
  }

  @Test
  void oneTokenMoreBillsTheWholeRequestAtTheLongContextPrices() {
    // 200,001 x 2.50 / 1M x 0.5 = 0.25000125 (the whole prompt, not only the part above)
    // output 10,000 x 15.00 / 1M x 0.5 = 0.075
    TokenUsage usage = new TokenUsage(200_001, 0, 10_000, 0, 0, 210_001);

    Cost cost = table.cost("gemini-2.5-pro", usage).orElseThrow();

    assertThat(cost.inputUsd()).isEqualByComparingTo("0.25000125");
    assertThat(cost.outputUsd()).isEqualByComparingTo("0.075");
    assertThat(table.price("gemini-2.5-pro").orElseThrow().isLongContext(200_001)).isTrue();
  }

  @Test
  void cachedTokensOfALongPromptUseTheLongContextCachePrice() {
    // prompt 250,000, cached 100,000: cached 100,000 x 0.25 / 1M = 0.025;
    // fresh 150,000 x 2.50 / 1M x 0.5 = 0.1875
    TokenUsage usage = new TokenUsage(250_000, 100_000, 0, 0, 0, 250_000);

    Cost cost = table.cost("gemini-2.5-pro", usage).orElseThrow();

    assertThat(cost.cachedInputUsd()).isEqualByComparingTo("0.025");
    assertThat(cost.inputUsd()).isEqualByComparingTo("0.1875");
  }

  @Test
  void aModelWithoutATierIgnoresPromptLength() {
    // gemini-2.5-flash has no long-context tier: 1,000,000 tokens still 0.30 / 1M x 0.5
    assertThat(table.price("gemini-2.5-flash").orElseThrow().longContext()).isEmpty();
    assertThat(table.cost("gemini-2.5-flash", prompt(300_000)).orElseThrow().totalUsd())
        .isEqualByComparingTo("0.045");
  }

  @Test
  void aModelNotInTheTableHasNoPriceAndNoCost() {
    assertThat(table.price("gemini-9-ultra")).isEmpty();
    assertThat(table.cost("gemini-9-ultra", prompt(10))).isEmpty();
    assertThat(table.standardCost("gemini-9-ultra", prompt(10))).isEmpty();
  }

  @Test
  void costsAddUpExactlyAndCompareByValue() {
    Cost tenth = Cost.of(usd("0.1"), usd("0.00"), usd("0.2"));
    Cost sum = Cost.ZERO;
    for (int i = 0; i < 10; i++) {
      sum = sum.plus(tenth);
    }

    assertThat(sum).isEqualTo(Cost.of(usd("1"), BigDecimal.ZERO, usd("2.000")));
    assertThat(sum.totalUsd()).isEqualByComparingTo("3");
    assertThatThrownBy(() -> new Cost(usd("1"), usd("1"), usd("1"), usd("4")))
        .hasMessageContaining("not inputUsd + cachedInputUsd + outputUsd");
  }

  @Test
  void everyBuiltInPriceSaysWhereAndWhenItWasRead() {
    assertThat(table.backend()).isEqualTo("vertex");
    assertThat(table.models()).contains("gemini-2.5-flash", "gemini-2.5-pro");
    for (String model : table.models()) {
      ModelPrice price = table.price(model).orElseThrow();
      assertThat(price.input().source().getScheme()).as(model).isEqualTo("https");
      assertThat(price.batchDiscount().fraction()).as(model).isEqualByComparingTo("0.5");
      assertThat(price.maxOutput().tokens()).as(model).isGreaterThan(1000);
      assertThat(price.cachedInput().usdPerMillion())
          .as(model + ": cached input is cheaper than input")
          .isLessThan(price.input().usdPerMillion());
    }
    assertThat(
            table.price("gemini-2.5-pro").orElseThrow().longContext().orElseThrow().aboveTokens())
        .isEqualTo(200_000);
  }

  @Test
  void aDeploymentsOwnTableReplacesTheBuiltInOne() throws IOException {
    PriceTable own = parse(table("my-model", price("2"), price("8"), price("0.5")));

    assertThat(own.models()).containsExactly("my-model");
    assertThat(own.price("gemini-2.5-flash")).isEmpty();
    // 1,000,000 x 2 / 1M x 0.5 = 1
    assertThat(own.cost("my-model", prompt(1_000_000)).orElseThrow().totalUsd())
        .isEqualByComparingTo("1");
  }

  @Test
  void aMissingPriceNamesTheModelAndTheField() {
    String json =
        """
        {"backends": {"vertex": {"models": {"my-model": {
          "input": %s, "output": %s,
          "batchDiscount": {"fraction": 0.5, "checked": "2026-01-01", "source": "https://example.com/p"},
          "maxOutputTokens": {"tokens": 8192, "checked": "2026-01-01", "source": "https://example.com/p"}}}}}}
        """
            .formatted(price("1"), price("2"));

    assertThatThrownBy(() -> parse(json))
        .isInstanceOf(PriceTableException.class)
        .hasMessageContaining("model \"my-model\"")
        .hasMessageContaining("cachedInput missing; expected an object");
  }

  @Test
  void aPriceThatIsNotANumberSaysWhatWasExpected() {
    String json =
        table(
            "my-model",
            "{\"usdPerMillion\": \"cheap\", \"checked\": \"2026-01-01\", \"source\": \"https://example.com/p\"}",
            price("2"),
            price("0.1"));

    assertThatThrownBy(() -> parse(json))
        .hasMessageContaining("model \"my-model\": input.usdPerMillion is \"cheap\"")
        .hasMessageContaining("expected a number of US dollars per million tokens");
  }

  @Test
  void aNegativePriceIsRejected() {
    assertThatThrownBy(() -> parse(table("m", price("-1"), price("2"), price("0.1"))))
        .hasMessageContaining("input.usdPerMillion is -1");
  }

  @Test
  void aMisspeltFieldIsAnErrorNotASilentlyMissingPrice() {
    String json =
        table("m", price("1"), price("2"), price("0.1"))
            .replace("\"cachedInput\"", "\"cachedInputs\"");

    assertThatThrownBy(() -> parse(json))
        .hasMessageContaining("unknown field cachedInputs; expected one of")
        .hasMessageContaining("cachedInput");
  }

  @Test
  void aDateOrSourceOfTheWrongFormIsRejected() {
    String badDate = price("1").replace("2026-01-01", "January 2026");
    String badSource = price("1").replace("https://example.com/p", "the pricing page");

    assertThatThrownBy(() -> parse(table("m", badDate, price("2"), price("0.1"))))
        .hasMessageContaining(
            "input.checked is \"January 2026\"; expected the date the price was checked, as YYYY-MM-DD");
    assertThatThrownBy(() -> parse(table("m", price("1"), badSource, price("0.1"))))
        .hasMessageContaining("output.source is \"the pricing page\"; expected the URL");
  }

  @Test
  void aTableWithoutTheBackendListsTheOnesItHas() {
    String json =
        table("m", price("1"), price("2"), price("0.1")).replace("\"vertex\"", "\"gemini-api\"");

    assertThatThrownBy(() -> parse(json))
        .hasMessageContaining("no backend \"vertex\"")
        .hasMessageContaining("expected one of gemini-api");
  }

  @Test
  void hostileInputIsRejectedWithAMessage() {
    assertThatThrownBy(() -> parse("")).isInstanceOf(PriceTableException.class);
    assertThatThrownBy(() -> parse("[1, 2]")).hasMessageContaining("expected an object");
    assertThatThrownBy(() -> parse("{\"backends\": "))
        .isInstanceOf(PriceTableException.class)
        .hasMessageContaining("not valid JSON");
    byte[] huge = new byte[PriceTable.MAX_BYTES + 10];
    java.util.Arrays.fill(huge, (byte) ' ');
    assertThatThrownBy(() -> PriceTable.parse(new ByteArrayInputStream(huge)))
        .hasMessageContaining("larger than 1 MiB");
  }

  @Test
  void aTierThresholdMustBeAWholeNumber() {
    String tier =
        ", \"longContext\": {\"aboveTokens\": 2.5e5, \"checked\": \"2026-01-01\", \"source\": \"https://example.com/p\", \"input\": %s, \"output\": %s, \"cachedInput\": %s}"
            .formatted(price("2"), price("3"), price("0.2"));
    String json =
        table("m", price("1"), price("2"), price("0.1"))
            .replace("\"batchDiscount\"", tier.substring(2) + ", \"batchDiscount\"");

    assertThatThrownBy(() -> parse(json))
        .hasMessageContaining("longContext.aboveTokens is 2.5E+5")
        .hasMessageContaining("expected a whole number of prompt tokens");
  }

  private static PriceTable parse(String json) throws IOException {
    return PriceTable.parse(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)));
  }

  private static String price(String usd) {
    return "{\"usdPerMillion\": "
        + usd
        + ", \"checked\": \"2026-01-01\", \"source\": \"https://example.com/p\"}";
  }

  private static String table(String model, String input, String output, String cached) {
    return """
        {"backends": {"vertex": {"models": {"%s": {
          "input": %s, "output": %s, "cachedInput": %s,
          "batchDiscount": {"fraction": 0.5, "checked": "2026-01-01", "source": "https://example.com/p"},
          "maxOutputTokens": {"tokens": 8192, "checked": "2026-01-01", "source": "https://example.com/p"}}}}}}
        """
        .formatted(model, input, output, cached);
  }
}
