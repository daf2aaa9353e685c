package io.batchdrop.cli.bench;

import io.batchdrop.validation.LineListener;
import io.batchdrop.validation.RequestValidator;
import io.batchdrop.validation.ValidationReport;
import io.batchdrop.validation.ValidatorConfig;
import java.io.IOException;
import java.io.InputStream;

/** Our streaming validator with the default config and a listener that does nothing. */
final class ValidatorScan implements Contender {
  private final RequestValidator validator = new RequestValidator(ValidatorConfig.defaults());
  private final LineListener noOp = new LineListener() {};
  private ValidationReport lastReport;

  @Override
  public String name() {
    return "batchdrop RequestValidator";
  }

  @Override
  public long scan(InputStream in) throws IOException {
    lastReport = validator.validate(in, noOp);
    return lastReport.rows();
  }

  ValidationReport lastReport() {
    return lastReport;
  }
}
