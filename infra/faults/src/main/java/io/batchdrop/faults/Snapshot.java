package io.batchdrop.faults;

import java.util.List;
import java.util.Map;

/**
 * What one upload left behind once the stack settled, as read from the emulators: its run
 * documents, its job documents, the batch jobs the backend holds for it (by display name), every
 * message on the results topic and every {@code run.completed} on the events topic; and the outcome
 * each row of the file should have ({@code expected}, by row; empty when not known); {@code
 * overwritten} when a newer generation of the same object was uploaded while this one may still
 * have been read.
 */
record Snapshot(
    String upload,
    List<Run> runs,
    List<Job> jobs,
    List<String> vertexJobs,
    List<Result> results,
    List<Completed> completed,
    Map<Long, String> expected,
    boolean overwritten) {

  Snapshot(
      String upload,
      List<Run> runs,
      List<Job> jobs,
      List<String> vertexJobs,
      List<Result> results,
      List<Completed> completed,
      Map<Long, String> expected) {
    this(upload, runs, jobs, vertexJobs, results, completed, expected, false);
  }

  Snapshot(
      String upload,
      List<Run> runs,
      List<Job> jobs,
      List<String> vertexJobs,
      List<Result> results,
      List<Completed> completed) {
    this(upload, runs, jobs, vertexJobs, results, completed, Map.of());
  }

  Snapshot {
    expected = Map.copyOf(expected);
    runs = List.copyOf(runs);
    jobs = List.copyOf(jobs);
    vertexJobs = List.copyOf(vertexJobs);
    results = List.copyOf(results);
    completed = List.copyOf(completed);
  }

  /** {@code counts} as the run document holds them (rows, valid, invalid, succeeded, …). */
  record Run(String runId, String state, boolean closed, Map<String, Long> counts) {
    Run {
      counts = Map.copyOf(counts);
    }
  }

  /** {@code vertexName} is empty when no batch job was recorded (CREATE_FAILED, CREATING). */
  record Job(String jobId, String state, String vertexName, boolean publishDone) {}

  /** One results-topic message, by its attributes. */
  record Result(String runId, long row, String status, String dedupId) {}

  /** One {@code run.completed}; {@code counts} empty on the early one a failed run sends first. */
  record Completed(String runId, String state, Map<String, Long> counts) {
    Completed {
      counts = Map.copyOf(counts);
    }
  }
}
