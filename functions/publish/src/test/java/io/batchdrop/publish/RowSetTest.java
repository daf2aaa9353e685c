package io.batchdrop.publish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RowSetTest {

  @Test
  void aRowIsNewOnlyTheFirstTimeItIsAdded() {
    RowSet set = new RowSet(10, 20);

    assertThat(set.add(12)).isTrue();
    assertThat(set.add(12)).isFalse();
    assertThat(set.contains(12)).isTrue();
    assertThat(set.contains(13)).isFalse();
    assertThat(set.cardinality()).isEqualTo(1);
  }

  @Test
  void bothEndsOfTheSpanAreRows() {
    RowSet set = new RowSet(10, 20);

    assertThat(set.add(10)).isTrue();
    assertThat(set.add(20)).isTrue();
    assertThat(set.cardinality()).isEqualTo(2);
  }

  @Test
  void aRowOutsideTheSpanIsRejectedWithTheSpanInTheMessage() {
    RowSet set = new RowSet(10, 20);

    assertThatThrownBy(() -> set.add(21))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("row 21 is outside this row set's span 10..20");
    assertThatThrownBy(() -> set.add(9)).hasMessageContaining("row 9 is outside");
    assertThat(set.contains(21)).isFalse();
    assertThat(set.inRange(21)).isFalse();
  }

  @Test
  void aSpanMustStartAtRowOneOrLaterAndNotRunBackwards() {
    assertThatThrownBy(() -> new RowSet(0, 5)).hasMessageContaining("1 <= firstRow <= lastRow");
    assertThatThrownBy(() -> new RowSet(6, 5)).hasMessageContaining("got 6..5");
    assertThatThrownBy(() -> new RowSet(1, RowSet.MAX_SPAN + 1))
        .hasMessageContaining("spans at most 2000000 rows");
  }

  @Test
  void theAbsentRowsAreEveryRowOfTheSpanNotAdded() {
    RowSet set = new RowSet(5, 10);
    set.add(5);
    set.add(7);
    set.add(10);
    List<Long> absent = new ArrayList<>();

    set.forEachAbsent(absent::add);

    assertThat(absent).containsExactly(6L, 8L, 9L);
  }

  @Test
  void aSetSurvivesItsBytes() {
    RowSet set = new RowSet(1000, 5000);
    for (long row = 1000; row <= 5000; row += 7) {
      set.add(row);
    }

    RowSet back = RowSet.fromBytes(set.toBytes());

    assertThat(back.firstRow()).isEqualTo(1000);
    assertThat(back.lastRow()).isEqualTo(5000);
    assertThat(back.cardinality()).isEqualTo(set.cardinality());
    for (long row = 1000; row <= 5000; row++) {
      assertThat(back.contains(row)).isEqualTo(set.contains(row));
    }
    assertThat(back.add(1001)).isTrue();
    assertThat(back.add(1007)).isFalse();
  }

  @Test
  void anEmptySetSurvivesItsBytes() {
    RowSet back = RowSet.fromBytes(new RowSet(3, 3).toBytes());

    assertThat(back.cardinality()).isZero();
    assertThat(back.inRange(3)).isTrue();
  }

  @Test
  void twoHundredThousandRowsEncodeInAboutTwentyFiveKilobytes() {
    RowSet set = new RowSet(1, 200_000);
    for (long row = 1; row <= 200_000; row++) {
      set.add(row);
    }

    byte[] bytes = set.toBytes();

    assertThat(bytes.length).isLessThanOrEqualTo(25_017);
    assertThat(RowSet.fromBytes(bytes).cardinality()).isEqualTo(200_000);
  }

  @Test
  void bytesThatAreNotARowSetAreRejected() {
    byte[] valid = new RowSet(1, 8).toBytes();
    byte[] wrongVersion = valid.clone();
    wrongVersion[0] = 9;
    RowSet wide = new RowSet(1, 64);
    wide.add(64);
    byte[] bitsPastTheEnd = wide.toBytes();
    bitsPastTheEnd[16] = 8; // lastRow 64 -> 8, while bit 64 is still set

    assertThatThrownBy(() -> RowSet.fromBytes(new byte[3])).hasMessageContaining("header of 17");
    assertThatThrownBy(() -> RowSet.fromBytes(null)).hasMessageContaining("got null");
    assertThatThrownBy(() -> RowSet.fromBytes(wrongVersion))
        .hasMessageContaining("version 1; got 9");
    assertThatThrownBy(() -> RowSet.fromBytes(bitsPastTheEnd))
        .hasMessageContaining("past its last row 8");
  }
}
