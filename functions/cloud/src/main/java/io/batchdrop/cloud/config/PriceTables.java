package io.batchdrop.cloud.config;

import io.batchdrop.pricing.PriceTable;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** The price table a deployment uses: the built-in one, or {@code BATCHDROP_PRICE_TABLE}. */
public final class PriceTables {
  private PriceTables() {}

  /**
   * @throws ConfigException when the deployment's table is not a price table: checked at start,
   *     like every other setting, so a bad table fails the deployment, never a run
   */
  public static PriceTable of(BatchdropConfig config) {
    if (config.priceTable().isEmpty()) {
      return PriceTable.builtIn();
    }
    try {
      return PriceTable.parse(
          new ByteArrayInputStream(config.priceTable().get().getBytes(StandardCharsets.UTF_8)));
    } catch (IOException e) {
      throw new ConfigException("BATCHDROP_PRICE_TABLE is not a price table: " + e.getMessage());
    }
  }
}
