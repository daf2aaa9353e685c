package io.batchdrop.cloud.run;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One Vertex batch job: {@code {runId}-s{shard}-a{attempt}}, also its display name and its {@code
 * batchdrop-job} label, which is how a job whose create answer was lost is found again.
 */
public record JobId(RunId run, int shard, int attempt) {
  private static final Pattern FORMAT = Pattern.compile("([0-9a-f]{20})-s(\\d+)-a(\\d+)");

  public JobId {
    if (shard < 1 || attempt < 1) {
      throw new IllegalArgumentException("shard and attempt start at 1");
    }
  }

  public static JobId parse(String value) {
    Matcher m = FORMAT.matcher(value);
    if (!m.matches()) {
      throw new IllegalArgumentException("not a job id: " + value);
    }
    return new JobId(
        new RunId(m.group(1)), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)));
  }

  public String value() {
    return run.value() + "-s" + shard + "-a" + attempt;
  }

  @Override
  public String toString() {
    return value();
  }
}
