package io.batchdrop.submit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.batchdrop.validation.Finding;
import io.batchdrop.validation.FindingJson;
import io.batchdrop.validation.Severity;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FindingJsonCapTest {
  private static Finding finding(int line, int messageChars) {
    return new Finding(
        line, 1, "field-type", "request.x", "m".repeat(messageChars), Severity.ERROR);
  }

  @Test
  void findingsForTheRunDocumentStopAtTheByteCapWhateverTheirCount() throws Exception {
    List<Finding> huge = new ArrayList<>();
    for (int i = 1; i <= 20; i++) {
      huge.add(finding(i, 10_000));
    }

    var kept = FindingJson.capped(huge, 20, UploadSubmitter.FIRST_ERRORS_BYTES);

    assertThat(new ObjectMapper().writeValueAsBytes(kept).length)
        .isLessThanOrEqualTo(UploadSubmitter.FIRST_ERRORS_BYTES);
    assertThat(kept).hasSize(6);
    assertThat(kept.get(0).get("line")).isEqualTo(1L);
  }

  @Test
  void smallFindingsAreCappedByCountAndOneOverTheCapAloneKeepsNone() {
    List<Finding> small = new ArrayList<>();
    for (int i = 1; i <= 30; i++) {
      small.add(finding(i, 10));
    }

    assertThat(FindingJson.capped(small, 20, UploadSubmitter.FIRST_ERRORS_BYTES)).hasSize(20);
    assertThat(FindingJson.capped(List.of(finding(1, 70_000)), 20, 64 * 1024)).isEmpty();
  }
}
