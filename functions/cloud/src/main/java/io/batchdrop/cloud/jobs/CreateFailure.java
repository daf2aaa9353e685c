package io.batchdrop.cloud.jobs;

import com.google.api.gax.rpc.StatusCode;

/**
 * The batch service refused to create a job. {@link #permanent()} failures (bad model, bad
 * argument, no permission) will not change on retry; the others ran out of attempts or time within
 * this invocation, and a later one may succeed.
 */
public final class CreateFailure extends Exception {
  private final StatusCode.Code code;
  private final boolean permanent;

  private CreateFailure(StatusCode.Code code, boolean permanent, String message, Throwable cause) {
    super(message, cause);
    this.code = code;
    this.permanent = permanent;
  }

  /** The service answered with a code no retry changes. */
  public static CreateFailure refused(StatusCode.Code code, String message, Throwable cause) {
    return new CreateFailure(code, true, message, cause);
  }

  /** An earlier caller recorded a refusal in the job document; {@code reason} is what it kept. */
  public static CreateFailure recordedEarlier(String reason) {
    return new CreateFailure(null, true, reason, null);
  }

  /** Attempts or claim time ran out on answers a later invocation may not get. */
  public static CreateFailure gaveUp(StatusCode.Code code, String message, Throwable cause) {
    return new CreateFailure(code, false, message, cause);
  }

  /** The gRPC code of the last answer; null when the refusal was read from the job document. */
  public StatusCode.Code code() {
    return code;
  }

  public boolean permanent() {
    return permanent;
  }
}
