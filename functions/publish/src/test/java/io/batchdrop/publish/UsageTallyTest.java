package io.batchdrop.publish;

import static org.assertj.core.api.Assertions.assertThat;

import io.batchdrop.pricing.Cost;
import io.batchdrop.pricing.PriceTable;
import io.batchdrop.pricing.TokenUsage;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class UsageTallyTest {

  private static final PriceTable PRICES = PriceTable.builtIn();

  private static Progress progress() {
    Progress p = new Progress();
    p.seen = new RowSet(1, 10);
    p.retry = new RowSet(1, 10);
    return p;
  }

  @ParameterizedTest
  @ValueSource(strings = {"gemini-2.5-pro", "gemini-2.5-flash"})
  void theCostFoldedAtCheckpointsIsTheSumOfEveryRowsOwnCostToTheLastDigit(String model) {
    // Prompts on both sides of the long-context threshold, cached counts above the prompt,
    // thinking and tool use: the run's cost must not depend on when the sums were priced.
    Random random = new Random(5);
    Progress tallied = progress();
    TokenUsage tokens = TokenUsage.ZERO;
    Cost perRow = Cost.ZERO;
    for (int row = 0; row < 20_000; row++) {
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
      tallied.addUsage(usage, PRICES.price(model));
      tokens = tokens.plus(usage);
      perRow = perRow.plus(PRICES.cost(model, usage).orElseThrow());
      if (random.nextInt(1500) == 0) {
        tallied.foldUsage(); // a checkpoint
      }
    }
    tallied.fields();

    assertThat(tallied.tokens).isEqualTo(tokens);
    assertThat(tallied.cost).isEqualTo(perRow);
    assertThat(tallied.unpriced).isZero();
  }

  @Test
  void aModelWithoutAPriceCountsItsRowsUnpricedAndCostsNothing() {
    Progress p = progress();
    p.addUsage(new TokenUsage(10, 0, 5, 0, 0, 15), Optional.empty());
    p.addUsage(new TokenUsage(20, 0, 5, 0, 0, 25), Optional.empty());

    p.fields();

    assertThat(p.unpriced).isEqualTo(2);
    assertThat(p.cost).isEqualTo(Cost.ZERO);
    assertThat(p.tokens).isEqualTo(new TokenUsage(30, 0, 10, 0, 0, 40));
  }

  @Test
  void aCheckpointWithNothingNewAddsNothing() {
    Progress p = progress();
    p.addUsage(new TokenUsage(10, 0, 5, 0, 0, 15), PRICES.price("gemini-2.5-flash"));
    p.fields();
    Cost once = p.cost;

    p.fields();
    p.fields();

    assertThat(p.cost).isEqualTo(once);
    assertThat(p.tokens).isEqualTo(new TokenUsage(10, 0, 5, 0, 0, 15));
  }
}
