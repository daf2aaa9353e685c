package io.batchdrop.pricing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TieredUsageTest {

  private static final PriceTable PRICES = PriceTable.builtIn();

  @ParameterizedTest
  @ValueSource(strings = {"gemini-2.5-pro", "gemini-2.5-flash"})
  void theSumsPricedOnceCostWhatEveryResponsePricedOnItsOwnCostsToTheLastDigit(String model) {
    // Prompts on both sides of the long-context threshold, cached counts above the prompt,
    // thinking and tool use, priced at batch and at standard prices.
    ModelPrice price = PRICES.price(model).orElseThrow();
    TieredUsage summed = new TieredUsage(price);
    Cost batch = Cost.ZERO;
    Cost standard = Cost.ZERO;
    Random random = new Random(6);
    for (int response = 0; response < 20_000; response++) {
      long prompt =
          random.nextInt(10) == 0 ? 190_000 + random.nextInt(20_000) : random.nextInt(5000);
      TokenUsage usage =
          new TokenUsage(
              prompt,
              random.nextInt(4) == 0 ? random.nextInt((int) prompt + 2_000) : 0,
              random.nextInt(3000),
              random.nextInt(3) == 0 ? random.nextInt(8000) : 0,
              random.nextInt(5) == 0 ? random.nextInt(500) : 0,
              random.nextInt(20_000));
      summed.add(usage);
      batch = batch.plus(price.batchCost(usage));
      standard = standard.plus(price.standardCost(usage));
    }

    assertThat(summed.batchCost()).isEqualTo(batch);
    assertThat(summed.standardCost()).isEqualTo(standard);
    summed.clear();
    assertThat(summed.batchCost()).isEqualTo(Cost.ZERO);
  }
}
