package io.batchdrop.cloud.jobs;

import com.google.api.gax.rpc.StatusCode;

/**
 * Vertex refused to create a job. {@code permanent} failures (bad model, bad argument, no
 * permission) will not change on retry; the others ran out of retries within this invocation.
 */
public final class CreateFailure extends Exception {
  private final StatusCode.Code code;
  private final boolean permanent;

  public CreateFailure(StatusCode.Code code, boolean permanent, String message, Throwable cause) {
    super(message, cause);
    this.code = code;
    this.permanent = permanent;
  }

  public StatusCode.Code code() {
    return code;
  }

  public boolean permanent() {
    return permanent;
  }
}
