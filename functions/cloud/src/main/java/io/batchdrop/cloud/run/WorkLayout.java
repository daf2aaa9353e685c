package io.batchdrop.cloud.run;

/**
 * Where a run's files live in the work bucket (design §4). The inbox holds only user uploads: the
 * storage trigger cannot filter by prefix, so nothing Batchdrop writes may land there.
 */
public record WorkLayout(String workBucket) {

  /** Object name of a job's staged input. */
  public String inputObject(JobId job) {
    return "runs/" + job.run().value() + "/input/" + job.value() + ".jsonl";
  }

  public String inputUri(JobId job) {
    return uri(inputObject(job));
  }

  /** The job's own {@code outputUriPrefix}: unique per job, so jobs never share a directory. */
  public String outputPrefix(JobId job) {
    return "runs/" + job.run().value() + "/output/" + job.value() + "/";
  }

  public String outputUriPrefix(JobId job) {
    return uri(outputPrefix(job));
  }

  /**
   * Where one response too big for a message (or for memory) is written: per job, output file (its
   * place in name order) and the line's byte offset, so a resumed read writes the same name.
   */
  public String payloadObject(JobId job, int file, long lineOffset) {
    return "runs/"
        + job.run().value()
        + "/payloads/"
        + job.value()
        + "/"
        + file
        + "-"
        + lineOffset
        + ".json";
  }

  /**
   * Where a spilled response goes once its inline media moved out ({@code inlineData} rewritten to
   * {@code fileData}): the line's payload name with {@code -media}, beside the spilled one it is
   * read from, so the rewrite never writes over what it reads.
   */
  public String rewrittenPayloadObject(JobId job, int file, long lineOffset) {
    String base = payloadObject(job, file, lineOffset);
    return base.substring(0, base.length() - ".json".length()) + "-media.json";
  }

  /**
   * Where one inline media blob of a response goes ({@code inlineData} moved out): the line's
   * payload name with the candidate and part, and an extension for the media type when known.
   */
  public String mediaObject(
      JobId job, int file, long lineOffset, int candidate, int part, String extension) {
    String base = payloadObject(job, file, lineOffset);
    return base.substring(0, base.length() - ".json".length())
        + "-c"
        + candidate
        + "-p"
        + part
        + extension;
  }

  public String invalidObject(RunId run) {
    return "runs/" + run.value() + "/invalid.jsonl";
  }

  public String reportHtmlObject(RunId run) {
    return "runs/" + run.value() + "/report.html";
  }

  public String reportObject(RunId run) {
    return "runs/" + run.value() + "/report.json";
  }

  public String uri(String objectName) {
    return "gs://" + workBucket + "/" + objectName;
  }
}
