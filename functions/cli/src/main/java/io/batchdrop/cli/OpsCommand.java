package io.batchdrop.cli;

import io.batchdrop.cloud.CloudClients;
import io.batchdrop.cloud.config.BatchdropConfig;
import io.batchdrop.cloud.config.ConfigException;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * A command that operates a deployment: finds it ({@link Deployment}), builds the official clients
 * the functions use, and turns an {@link OpsException} into its one line and exit code.
 */
abstract class OpsCommand implements Callable<Integer> {
  final Main.Io io;
  final Map<String, String> environment;

  @Mixin HelpOption help;
  @Mixin DeploymentOptions deployment;

  @Option(names = "--json", description = "Print JSON for scripts instead of text.")
  boolean json;

  OpsCommand(Main.Io io, Map<String, String> environment) {
    this.io = io;
    this.environment = environment;
  }

  @Override
  public final Integer call() {
    BatchdropConfig config;
    try {
      config = Deployment.resolve(deployment, environment, reads());
    } catch (Deployment.NotFound e) {
      io.err().println("batchdrop: " + e.getMessage());
      return Main.EXIT_USAGE;
    }
    try (CloudClients clients = new CloudClients(config)) {
      return execute(clients);
    } catch (OpsException e) {
      io.err().println("batchdrop: " + e.getMessage());
      return e.exitCode();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      io.err().println("batchdrop: interrupted");
      return Main.EXIT_USAGE;
    } catch (ConfigException e) {
      // A setting read when first needed (the price table, the Gemini API key): its own words.
      io.err().println("batchdrop: " + e.getMessage());
      return Main.EXIT_USAGE;
    } catch (RuntimeException e) {
      io.err().println("batchdrop: " + Errors.describe(e));
      return Main.EXIT_USAGE;
    } catch (Exception e) {
      io.err().println("batchdrop: " + Errors.describe(e));
      return Main.EXIT_USAGE;
    }
  }

  /** What the command reads, so it requires only the settings it uses (both buckets here). */
  Deployment.Reads reads() {
    return Deployment.Reads.EVERYTHING;
  }

  abstract int execute(CloudClients clients) throws Exception;
}
