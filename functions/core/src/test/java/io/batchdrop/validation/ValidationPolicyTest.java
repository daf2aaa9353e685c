package io.batchdrop.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class ValidationPolicyTest {

  private static ValidationReport report(long valid, long invalid) {
    return new ValidationReport(valid + invalid, valid, invalid, 0, 0, List.of(), 0);
  }

  @Test
  void lenientAcceptsUpToTheThresholdAndExplainsARejection() {
    ValidationPolicy lenient = ValidationPolicy.defaults();

    assertThat(lenient.judge(report(120, 0)))
        .isEqualTo(new Verdict(true, "all 120 rows are valid"));
    assertThat(lenient.judge(report(108, 12)).accepted()).isTrue();
    assertThat(lenient.judge(report(108, 12)).reason())
        .contains("12 of 120 rows are invalid (10%), within the 10% threshold");
    assertThat(lenient.judge(report(105, 15)))
        .isEqualTo(
            new Verdict(false, "15 of 120 rows are invalid (12.5%), above the 10% threshold"));
  }

  @Test
  void strictRejectsAnyInvalidRow() {
    ValidationPolicy strict = new ValidationPolicy(Policy.STRICT, 0.10);

    assertThat(strict.judge(report(117, 3)))
        .isEqualTo(new Verdict(false, "strict policy: 3 of 120 rows are invalid"));
    assertThat(strict.judge(report(120, 0)).accepted()).isTrue();
  }

  @Test
  void aFileWithoutRowsOrWithoutValidRowsIsRejectedWhateverThePolicy() {
    for (ValidationPolicy policy :
        List.of(
            ValidationPolicy.defaults(),
            new ValidationPolicy(Policy.LENIENT, 1.0),
            new ValidationPolicy(Policy.STRICT, 0))) {
      assertThat(policy.judge(report(0, 0))).isEqualTo(new Verdict(false, "the file has no rows"));
      assertThat(policy.judge(report(0, 4)))
          .isEqualTo(new Verdict(false, "the file has no valid rows"));
    }
  }

  @Test
  void policyNamesParseIgnoringCaseAndBadOnesNameTheChoices() {
    assertThat(Policy.parse("Strict")).isEqualTo(Policy.STRICT);
    assertThat(Policy.parse(" lenient ")).isEqualTo(Policy.LENIENT);
    assertThat(Policy.STRICT.label()).isEqualTo("strict");
    assertThatThrownBy(() -> Policy.parse("relaxed"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("\"lenient\" or \"strict\"");
    assertThatThrownBy(() -> new ValidationPolicy(Policy.LENIENT, 1.5))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void configRejectsNonsenseAndCopiesTheAllowList() {
    assertThat(ValidatorConfig.defaults().maxLineBytes()).isEqualTo(10 * 1024 * 1024);
    assertThat(ValidatorConfig.defaults().allowedFileBuckets()).isEmpty();
    assertThatThrownBy(() -> ValidatorConfig.defaults().withMaxLineBytes(0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(Severity.ERROR.label()).isEqualTo("error");
    assertThat(Severity.WARNING.label()).isEqualTo("warning");
  }
}
