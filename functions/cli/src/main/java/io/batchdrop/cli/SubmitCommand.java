package io.batchdrop.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.cloud.storage.Blob;
import com.google.cloud.storage.BlobInfo;
import io.batchdrop.cloud.CloudClients;
import io.batchdrop.cloud.config.BatchdropConfig;
import io.batchdrop.cloud.config.PriceTables;
import io.batchdrop.cloud.run.RunId;
import io.batchdrop.pricing.CostBudget;
import io.batchdrop.pricing.TokenEstimator;
import io.batchdrop.validation.Backend;
import io.batchdrop.validation.Policy;
import io.batchdrop.validation.RequestValidator;
import io.batchdrop.validation.ValidationPolicy;
import io.batchdrop.validation.ValidationReport;
import io.batchdrop.validation.Verdict;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code batchdrop submit FILE [--model M] [--policy P] [--wait] [--json]}: validates the file with
 * the validator and limits submit uses, uploads it to the inbox with {@code batchdrop-model} /
 * {@code batchdrop-policy} metadata, and prints the run id submit will give it ({@link RunId#of} of
 * bucket, name and the generation the upload made).
 */
@Command(
    name = "submit",
    synopsisHeading = "usage: ",
    customSynopsis =
        "batchdrop submit FILE [--model M] [--policy lenient|strict] [--name NAME] [--wait] [--json]",
    description = "Validate a JSONL file locally, upload it to the inbox and print its run id.",
    footerHeading = "%n",
    footer = {
      Deployment.ENVIRONMENT_HELP,
      "Exit codes: 0 uploaded (with --wait: every row succeeded), 1 the file would be rejected"
          + " (nothing uploaded) or, with --wait, some row did not succeed, 2 usage or I/O errors."
    })
final class SubmitCommand extends OpsCommand {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Cloud Storage's limit on an object name: 1,024 bytes of UTF-8. */
  static final int MAX_OBJECT_NAME_BYTES = 1024;

  /** Cloud Storage's limit on an object's custom metadata: 8 KiB, keys and values together. */
  static final int MAX_CUSTOM_METADATA_BYTES = 8 * 1024;

  private static final int SHOWN_NAME_CHARS = 48;

  @Parameters(index = "0", paramLabel = "FILE", description = "The JSONL file to submit.")
  Path file;

  @Option(
      names = "--model",
      paramLabel = "M",
      description =
          "Model for the whole file (metadata batchdrop-model; default: the deployment's).")
  String model;

  @Option(
      names = "--policy",
      paramLabel = "lenient|strict",
      converter = PolicyOptions.PolicyConverter.class,
      description = "How submit judges invalid rows (metadata batchdrop-policy).")
  Policy policy;

  @Option(
      names = "--name",
      paramLabel = "NAME",
      description = "Object name under the inbox prefix (default: the file's name).")
  String name;

  @Option(names = "--wait", description = "Follow the run to its end, like status --watch.")
  boolean waitForEnd;

  @Mixin WatchOptions watchOptions;

  SubmitCommand(Main.Io io, Map<String, String> environment) {
    super(io, environment);
  }

  @Override
  int execute(CloudClients clients) throws Exception {
    BatchdropConfig config = clients.config();
    if (!Files.isRegularFile(file)) {
      throw new OpsException(
          "cannot read " + file + ": " + (Files.exists(file) ? "not a file" : "no such file"));
    }
    long size = Files.size(file);
    if (size > config.submit().maxFileBytes()) {
      return notUploaded(
          file
              + " is "
              + Show.number(size)
              + " bytes; submit rejects files over "
              + Show.number(config.submit().maxFileBytes())
              + " bytes (BATCHDROP_MAX_FILE_BYTES)");
    }
    String object =
        config.submit().inboxPrefix() + (name == null ? file.getFileName().toString() : name);
    int objectBytes = object.getBytes(StandardCharsets.UTF_8).length;
    if (objectBytes > MAX_OBJECT_NAME_BYTES) {
      return notUploaded(
          "the object name "
              + shortened(object)
              + " is "
              + Show.number(objectBytes)
              + " bytes of UTF-8; Cloud Storage takes at most "
              + Show.number(MAX_OBJECT_NAME_BYTES)
              + " (BATCHDROP_INBOX_PREFIX and --name or the file's name)");
    }
    if (!object.endsWith(".jsonl")) {
      // The function ignores any other object (UploadScope): it would lie in the inbox with no
      // run, and --wait would wait for one forever.
      return notUploaded(
          "the object name "
              + shortened(object)
              + " does not end in .jsonl, and submit takes only *.jsonl uploads (pass --name"
              + " NAME.jsonl)");
    }
    Map<String, String> metadata = new HashMap<>();
    if (model != null) {
      metadata.put("batchdrop-model", model);
    }
    if (policy != null) {
      metadata.put("batchdrop-policy", policy.label());
    }
    int metadataBytes = 0;
    for (Map.Entry<String, String> entry : metadata.entrySet()) {
      metadataBytes += entry.getKey().getBytes(StandardCharsets.UTF_8).length;
      metadataBytes += entry.getValue().getBytes(StandardCharsets.UTF_8).length;
    }
    if (metadataBytes > MAX_CUSTOM_METADATA_BYTES) {
      return notUploaded(
          "the object's metadata (--model, --policy) is "
              + Show.number(metadataBytes)
              + " bytes of UTF-8; Cloud Storage takes at most "
              + Show.number(MAX_CUSTOM_METADATA_BYTES));
    }
    if (model != null
        && environment.containsKey("BATCHDROP_ALLOWED_MODELS")
        && !config.submit().models().isAllowed(model)) {
      return notUploaded(
          "model "
              + model
              + " is not allowed; expected one of "
              + String.join(", ", config.submit().models().allowed()));
    }
    ValidationPolicy judged =
        new ValidationPolicy(
            policy == null ? config.submit().policy() : policy, config.submit().maxInvalidRatio());
    String runModel = model == null ? config.submit().models().defaultModel() : model.trim();
    TokenEstimator estimator =
        new TokenEstimator(PriceTables.of(config.submit().priceTable()), runModel);
    ValidationReport report;
    try (InputStream in = Files.newInputStream(file)) {
      // The rules submit applies to this file: its backend's (the deployment's; the upload names
      // none) and its model's (an embedding model takes embedding requests).
      report =
          new RequestValidator(
                  config
                      .validation()
                      .withBackend(Backend.parse(config.backends().defaultBackend()))
                      .withModel(runModel))
              .validate(in, estimator);
    } catch (NoSuchFileException e) {
      throw new OpsException("cannot read " + file + ": no such file");
    }
    Verdict verdict = judged.judge(report);
    if (verdict.accepted()) {
      // Submit's next check: the run's estimated cost against the deployment's budget.
      verdict =
          CostBudget.exceeded(estimator.estimate(), config.submit().maxRunCostUsd())
              .map(reason -> new Verdict(false, reason))
              .orElse(verdict);
    }
    if (!verdict.accepted()) {
      if (json) {
        ObjectNode out = JSON.createObjectNode();
        out.put("uploaded", false);
        out.put("rows", report.rows());
        out.put("invalid", report.invalid());
        out.put("reason", verdict.reason());
        io.out().println(out);
      } else {
        new HumanReport(io.out()).print(report, verdict);
        io.out().println("not uploaded: submit would reject this file");
      }
      return Main.EXIT_INVALID;
    }

    BlobInfo info =
        BlobInfo.newBuilder(config.submit().inboxBucket(), object)
            .setContentType("application/jsonl")
            .setMetadata(metadata.isEmpty() ? null : metadata)
            .build();
    Blob blob = upload(clients, info);
    RunId run = RunId.of(blob.getBucket(), blob.getName(), blob.getGeneration());
    String source = "gs://" + blob.getBucket() + "/" + blob.getName();
    if (json) {
      ObjectNode out = JSON.createObjectNode();
      out.put("uploaded", true);
      out.put("runId", run.value());
      out.put("source", source);
      out.put("generation", blob.getGeneration());
      out.put("rows", report.rows());
      out.put("valid", report.valid());
      out.put("invalid", report.invalid());
      io.out().println(out);
    } else {
      io.out()
          .println(
              "uploaded "
                  + source
                  + " (generation "
                  + blob.getGeneration()
                  + "): "
                  + Show.number(report.rows())
                  + " rows, "
                  + Show.number(report.invalid())
                  + " invalid");
      io.out().println("run " + run);
    }
    if (!waitForEnd) {
      return Main.EXIT_OK;
    }
    boolean terminal = io.out() == System.out && Terminal.stdoutIsTerminal();
    Optional<RunStatus> end =
        new RunWatcher(
                new RunStore(clients.firestore()),
                io.out(),
                terminal,
                json,
                watchOptions.interval(),
                Clock.systemUTC())
            .follow(run, watchOptions.timeout(), true);
    if (end.isEmpty()) {
      io.err()
          .println(
              "batchdrop: run "
                  + run
                  + " had not ended after "
                  + watchOptions.timeout().toSeconds()
                  + " s");
      return Main.EXIT_INVALID;
    }
    RunView ended = end.get().run();
    if (!json) {
      io.out()
          .println(
              ended.allSucceeded()
                  ? "every row succeeded"
                  : "run ended "
                      + ended.state()
                      + ": "
                      + Show.number(ended.rows() - ended.succeeded())
                      + " of "
                      + Show.number(ended.rows())
                      + " rows did not succeed");
    }
    return ended.allSucceeded() ? Main.EXIT_OK : Main.EXIT_INVALID;
  }

  /** A file refused before it was read: one line, or with --json the one object saying why. */
  private int notUploaded(String reason) {
    if (json) {
      io.out().println(JSON.createObjectNode().put("uploaded", false).put("reason", reason));
    } else {
      io.err().println("batchdrop: " + reason + "; nothing uploaded");
    }
    return Main.EXIT_INVALID;
  }

  private static String shortened(String object) {
    if (object.length() <= SHOWN_NAME_CHARS) {
      return object;
    }
    int end = SHOWN_NAME_CHARS;
    if (Character.isHighSurrogate(object.charAt(end - 1))) {
      end--;
    }
    return object.substring(0, end) + "…";
  }

  /** A resumable upload (the client's own for a path): a 1 GiB file is never held in memory. */
  private Blob upload(CloudClients clients, BlobInfo info) throws OpsException {
    try {
      return clients.storage().createFrom(info, file);
    } catch (IOException e) {
      throw new OpsException("cannot upload " + file + ": " + e.getMessage());
    } catch (RuntimeException e) {
      throw new OpsException(
          "cannot upload to gs://"
              + info.getBucket()
              + "/"
              + info.getName()
              + ": "
              + Errors.describe(e));
    }
  }
}
