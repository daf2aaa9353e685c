package io.batchdrop.cloud.config;

import io.batchdrop.pricing.PriceTable;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/** The price table a deployment uses: the built-in one, or {@code BATCHDROP_PRICE_TABLE}. */
public final class PriceTables {
  private PriceTables() {}

  /**
   * The table of {@code BATCHDROP_PRICE_TABLE} as the function read it ({@link
   * BatchdropConfig.Submit#priceTable()} or {@link BatchdropConfig.Publish#priceTable()}), or the
   * built-in one when it is empty.
   *
   * @throws ConfigException when the deployment's table is not a price table: checked at start,
   *     like every other setting, so a bad table fails the deployment, never a run
   */
  public static PriceTable of(Optional<String> table) {
    if (table.isEmpty()) {
      return PriceTable.builtIn();
    }
    try {
      return PriceTable.parse(
          new ByteArrayInputStream(table.get().getBytes(StandardCharsets.UTF_8)));
    } catch (IOException e) {
      throw new ConfigException("BATCHDROP_PRICE_TABLE is not a price table: " + e.getMessage());
    }
  }
}
