package io.batchdrop.emulator.vertex;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Optional;

/** What became of one input line: the output row to write (none when the row goes missing). */
record RowOutcome(Kind kind, Optional<ObjectNode> row) {

  enum Kind {
    SUCCEEDED,
    FAILED,
    MISSING
  }

  static RowOutcome succeeded(ObjectNode row) {
    return new RowOutcome(Kind.SUCCEEDED, Optional.of(row));
  }

  static RowOutcome failed(ObjectNode row) {
    return new RowOutcome(Kind.FAILED, Optional.of(row));
  }

  static RowOutcome missing() {
    return new RowOutcome(Kind.MISSING, Optional.empty());
  }
}
