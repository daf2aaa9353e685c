package io.batchdrop.poll;

/** What polling one job came to, counted in the call's summary. */
enum JobOutcome {
  UNCHANGED,
  CHANGED,
  COMPLETED,
  RECOVERED,
  /** Left for the next call: the time budget ran out before its turn. */
  LEFT,
  ERROR
}
