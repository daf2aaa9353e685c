package io.batchdrop.submit;

import io.cloudevents.CloudEvent;

/**
 * {@code FinalizeEvent.parse}, the first thing submit does with an event, for {@code
 * FirstUseBreakdown} (same package on the class path, so the package-private reader stays so).
 */
public final class FinalizeEventStep {
  private FinalizeEventStep() {}

  public static UploadedObject parse(CloudEvent event) throws Exception {
    return FinalizeEvent.parse(event);
  }
}
