package io.batchdrop.cli;

import io.batchdrop.cloud.run.RunId;
import java.util.Map;
import picocli.CommandLine.Parameters;

/**
 * An operator command about one run, named by the RUN argument (picocli reads inherited fields).
 */
abstract class RunCommand extends OpsCommand {
  @Parameters(
      index = "0",
      paramLabel = "RUN",
      converter = RunIdConverter.class,
      description = "The run id, as submit and runs print it.")
  RunId run;

  RunCommand(Main.Io io, Map<String, String> environment) {
    super(io, environment);
  }
}
