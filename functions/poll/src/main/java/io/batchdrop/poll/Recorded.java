package io.batchdrop.poll;

import java.util.List;

/**
 * What one recording transaction committed: whether the recorded Vertex fields changed, the state
 * before and after, whether the job just became terminal, and the stuck thresholds it fired.
 */
record Recorded(
    boolean changed, String previousState, String state, boolean completed, List<String> stuck) {
  static final Recorded NOTHING = new Recorded(false, null, null, false, List.of());

  boolean stateChanged() {
    return changed && state != null && !state.equals(previousState);
  }

  boolean wroteAnything() {
    return changed || !stuck.isEmpty();
  }
}
