package io.batchdrop.publish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class ErrorSamplesTest {

  @Test
  void everyFailingRowIsCountedButOnlyTheFirstFiveOfAClassAreKept() {
    ErrorSamples samples = new ErrorSamples();
    for (int row = 1; row <= 1000; row++) {
      samples.add("400 INVALID_ARGUMENT", row, "key-" + row, "bad");
    }
    ErrorSamples.ErrorClass only = samples.classes().get(0);
    assertThat(only.count()).isEqualTo(1000);
    assertThat(only.examples())
        .extracting(ErrorSamples.Example::row)
        .containsExactly(1L, 2L, 3L, 4L, 5L);
  }

  @Test
  void hugeKeysMessagesAndManyClassesStayWithinTheByteBudget() throws Exception {
    ErrorSamples samples = new ErrorSamples();
    for (int row = 1; row <= 20_000; row++) {
      samples.add(
          "class-" + row % 50 + "-" + "c".repeat(10_000),
          row,
          "k".repeat(10_000),
          "m".repeat(1_000_000 / 100));
    }
    var stored = samples.toFirestore();
    byte[] json = new ObjectMapper().writeValueAsBytes(stored);
    assertThat(json.length).isLessThan(ErrorSamples.MAX_BYTES + 4 * 1024);
    assertThat(stored).hasSizeLessThanOrEqualTo(ErrorSamples.MAX_CLASSES + 1);
    assertThat(samples.classes().stream().mapToLong(ErrorSamples.ErrorClass::count).sum())
        .isEqualTo(20_000);
    assertThat(samples.classes().get(samples.classes().size() - 1).name())
        .isEqualTo(ErrorSamples.OTHER);
  }

  @Test
  void whatIsStoredReadsBackTheSameAndAResumedJobKeepsCounting() {
    ErrorSamples samples = new ErrorSamples();
    samples.add("missing", 7, "gone", "the job ended without a result for this row");
    samples.add("429 RESOURCE_EXHAUSTED", 9, null, "quota");
    ErrorSamples read = ErrorSamples.fromFirestore(samples.toFirestore());
    assertThat(read.classes()).isEqualTo(samples.classes());
    read.add("missing", 8, "also-gone", "again");
    assertThat(read.classes().get(0).count()).isEqualTo(2);
  }

  @Test
  void aStoredValueOfAnotherShapeIsIgnored() {
    assertThat(ErrorSamples.fromFirestore("not a list").classes()).isEmpty();
    assertThat(
            ErrorSamples.fromFirestore(java.util.List.of(1, "x", java.util.Map.of("count", 3)))
                .classes())
        .isEmpty();
  }

  @Test
  void aVertexErrorIsClassedByCodeAndStatus() {
    assertThat(ErrorSamples.classOf(new RowError(400, "INVALID_ARGUMENT", "m")))
        .isEqualTo("400 INVALID_ARGUMENT");
    assertThat(ErrorSamples.classOf(new RowError(null, "INTERNAL", "m"))).isEqualTo("INTERNAL");
    assertThat(ErrorSamples.classOf(new RowError(null, null, "m"))).isEqualTo("unparsed status");
  }

  @Test
  void everyRowOfAClassPastTheNamedOnesIsStillCountedAfterACheckpointIsReadBack() {
    ErrorSamples samples = new ErrorSamples();
    for (int c = 0; c < ErrorSamples.MAX_CLASSES + 3; c++) {
      samples.add("class-" + c, c + 1, "k", "m");
    }

    ErrorSamples read = ErrorSamples.fromFirestore(samples.toFirestore());

    assertThat(read.classes())
        .extracting(ErrorSamples.ErrorClass::name, ErrorSamples.ErrorClass::count)
        .hasSize(ErrorSamples.MAX_CLASSES + 1)
        .endsWith(tuple(ErrorSamples.OTHER, 3L));
    assertThat(read.toFirestore()).isEqualTo(samples.toFirestore());
  }
}
