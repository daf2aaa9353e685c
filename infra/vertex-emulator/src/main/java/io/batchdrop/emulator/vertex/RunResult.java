package io.batchdrop.emulator.vertex;

import com.google.cloud.aiplatform.v1.CompletionStats;
import com.google.rpc.Code;
import com.google.rpc.Status;
import java.util.Optional;

/**
 * What running a job's rows produced: counts and the output directory, or the job-level error that
 * failed it before any row ran.
 */
record RunResult(
    Optional<CompletionStats> stats, Optional<String> outputDirectory, Optional<Status> failure) {

  static RunResult completed(CompletionStats stats, Optional<String> outputDirectory) {
    return new RunResult(Optional.of(stats), outputDirectory, Optional.empty());
  }

  static RunResult failed(Code code, String message) {
    return new RunResult(
        Optional.empty(),
        Optional.empty(),
        Optional.of(Status.newBuilder().setCode(code.getNumber()).setMessage(message).build()));
  }
}
