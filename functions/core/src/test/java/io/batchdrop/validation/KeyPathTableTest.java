package io.batchdrop.validation;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The type table's hash slots start small and grow with the paths it holds. */
class KeyPathTableTest {

  @Test
  void everyPathKeepsItsNodeAndTypeAsTheTableGrowsToCapacity() {
    KeyPathTable table = new KeyPathTable(4000, 1L << 20);
    int[] nodes = new int[3999];
    for (int i = 0; i < nodes.length; i++) {
      // A tree three levels deep, names made fresh (not interned) so lookups compare by content.
      int parent = i < 40 ? KeyPathTable.ROOT : nodes[i / 40 - 1];
      nodes[i] = table.child(parent, new String("k" + i));
      assertThat(table.record(nodes[i], JsonType.STRING, 1)).isNull();
    }
    table.commitLine();

    assertThat(table.size()).isEqualTo(4000);
    assertThat(table.full()).isFalse();
    for (int i = 0; i < nodes.length; i++) {
      int parent = i < 40 ? KeyPathTable.ROOT : nodes[i / 40 - 1];
      assertThat(table.child(parent, "k" + i)).isEqualTo(nodes[i]);
      assertThat(table.record(nodes[i], JsonType.NUMBER, 2)).isEqualTo(JsonType.STRING);
    }
    assertThat(table.child(KeyPathTable.ROOT, "one more")).isEqualTo(KeyPathTable.UNTRACKED);
    assertThat(table.full()).isTrue();
  }
}
