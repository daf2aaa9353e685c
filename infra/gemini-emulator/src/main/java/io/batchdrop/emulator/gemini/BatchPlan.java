package io.batchdrop.emulator.gemini;

import java.time.Duration;

/** The knobs as they were when a batch was created: how that batch will run. */
record BatchPlan(
    Duration pendingDelay, Duration runningDelay, Duration expiry, BatchState ending) {}
