package io.batchdrop.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.batchdrop.cloud.config.BatchdropConfig;
import io.batchdrop.cloud.config.ConfigException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Finds the deployment the way Google's own tools do and turns it into the functions' own {@link
 * BatchdropConfig}, so the command line reads and writes exactly what the functions do. In order,
 * for each setting: a flag; the environment variable the functions read (the local stack prints
 * them, emulator hosts included); the deployment's Terraform outputs ({@code --terraform-dir}); for
 * the project, the gcloud configuration ({@code CLOUDSDK_CORE_PROJECT}, then {@code project} in the
 * active configuration's {@code [core]} section). Credentials are Application Default Credentials,
 * which the official clients find themselves; emulators need none. Topics not given default to the
 * names the Terraform module creates ({@code batchdrop-results}, …); buckets are never guessed.
 */
final class Deployment {
  static final long TERRAFORM_DEADLINE_SECONDS = 30;
  private static final ObjectMapper JSON = new ObjectMapper();

  private Deployment() {}

  /** Thrown when the deployment cannot be found; the message says what to pass. */
  static final class NotFound extends Exception {
    NotFound(String message) {
      super(message);
    }
  }

  /** The {@code --help} line of a command that reads everything ({@link Reads#EVERYTHING}). */
  static final String ENVIRONMENT_HELP =
      "Environment: GOOGLE_CLOUD_PROJECT, BATCHDROP_INBOX_BUCKET and BATCHDROP_WORK_BUCKET (or"
          + " the flags, or --terraform-dir), the topics and emulator hosts the local stack"
          + " prints.";

  /** The {@code --help} line of a command that reads Firestore alone ({@link Reads#FIRESTORE}). */
  static final String FIRESTORE_ENVIRONMENT_HELP =
      "Environment: GOOGLE_CLOUD_PROJECT (or --project, or the gcloud configuration),"
          + " FIRESTORE_EMULATOR_HOST for the Firestore emulator; no bucket: it reads Firestore"
          + " only.";

  /** What a command reads of the deployment, and so which settings it must be given. */
  enum Reads {
    /** Firestore alone ({@code runs}, {@code status}): the project, no bucket. */
    FIRESTORE,
    /** Firestore, the buckets and the topics: both buckets are required. */
    EVERYTHING
  }

  static BatchdropConfig resolve(DeploymentOptions flags, Map<String, String> environment)
      throws NotFound {
    return resolve(flags, environment, Reads.EVERYTHING);
  }

  static BatchdropConfig resolve(
      DeploymentOptions flags, Map<String, String> environment, Reads reads) throws NotFound {
    Map<String, String> env = new HashMap<>(environment);
    if (flags.terraformDir != null) {
      terraformOutputs(Path.of(flags.terraformDir), env)
          .forEach((name, value) -> env.putIfAbsent(name, value));
    }
    put(env, "GOOGLE_CLOUD_PROJECT", flags.project);
    put(env, "BATCHDROP_INBOX_BUCKET", flags.inboxBucket);
    put(env, "BATCHDROP_WORK_BUCKET", flags.workBucket);
    if (blank(env.get("GOOGLE_CLOUD_PROJECT"))) {
      gcloudProject(env).ifPresent(p -> env.put("GOOGLE_CLOUD_PROJECT", p));
    }
    env.putIfAbsent("BATCHDROP_RESULTS_TOPIC", "batchdrop-results");
    env.putIfAbsent("BATCHDROP_EVENTS_TOPIC", "batchdrop-events");
    env.putIfAbsent("BATCHDROP_COMPLETIONS_TOPIC", "batchdrop-completions");
    if (blank(env.get("GOOGLE_CLOUD_PROJECT"))) {
      throw new NotFound(
          "no Google Cloud project: pass --project, set GOOGLE_CLOUD_PROJECT, or run"
              + " `gcloud config set project ID`");
    }
    if (reads == Reads.FIRESTORE) {
      try {
        return BatchdropConfig.forFirestoreReader(env);
      } catch (ConfigException e) {
        throw new NotFound(e.getMessage());
      }
    }
    for (String bucket : List.of("BATCHDROP_INBOX_BUCKET", "BATCHDROP_WORK_BUCKET")) {
      if (blank(env.get(bucket))) {
        String flag = bucket.equals("BATCHDROP_INBOX_BUCKET") ? "--inbox-bucket" : "--work-bucket";
        throw new NotFound(
            "no "
                + (flag.equals("--inbox-bucket") ? "inbox" : "work")
                + " bucket: pass "
                + flag
                + ", set "
                + bucket
                + ", or point --terraform-dir at the deployment");
      }
    }
    try {
      return BatchdropConfig.fromEnvironment(env);
    } catch (ConfigException e) {
      throw new NotFound(e.getMessage());
    }
  }

  private static void put(Map<String, String> env, String name, String value) {
    if (!blank(value)) {
      env.put(name, value);
    }
  }

  private static boolean blank(String value) {
    return value == null || value.isBlank();
  }

  /**
   * The project of the active gcloud configuration, read from its file as gcloud itself does
   * ({@code CLOUDSDK_CONFIG} or {@code ~/.config/gcloud}; {@code active_config}, default {@code
   * default}), without running gcloud.
   */
  static Optional<String> gcloudProject(Map<String, String> env) {
    if (!blank(env.get("CLOUDSDK_CORE_PROJECT"))) {
      return Optional.of(env.get("CLOUDSDK_CORE_PROJECT").trim());
    }
    Path dir =
        blank(env.get("CLOUDSDK_CONFIG"))
            ? Path.of(
                env.getOrDefault("HOME", System.getProperty("user.home")), ".config", "gcloud")
            : Path.of(env.get("CLOUDSDK_CONFIG"));
    try {
      String active = "default";
      if (!blank(env.get("CLOUDSDK_ACTIVE_CONFIG_NAME"))) {
        active = env.get("CLOUDSDK_ACTIVE_CONFIG_NAME").trim();
      } else if (Files.isRegularFile(dir.resolve("active_config"))) {
        String named =
            Files.readString(dir.resolve("active_config"), StandardCharsets.UTF_8).trim();
        active = named.isEmpty() ? active : named;
      }
      Path file = dir.resolve("configurations").resolve("config_" + active);
      if (!Files.isRegularFile(file) || Files.size(file) > 1 << 20) {
        return Optional.empty();
      }
      return coreProject(Files.readAllLines(file, StandardCharsets.UTF_8));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /** {@code project = X} in the {@code [core]} section of a gcloud properties file. */
  static Optional<String> coreProject(List<String> lines) {
    String section = "";
    for (String raw : lines) {
      String line = raw.trim();
      if (line.startsWith("[") && line.endsWith("]")) {
        section = line.substring(1, line.length() - 1).trim();
      } else if (section.equals("core") && line.contains("=")) {
        String name = line.substring(0, line.indexOf('=')).trim();
        String value = line.substring(line.indexOf('=') + 1).trim();
        if (name.equals("project") && !value.isEmpty()) {
          return Optional.of(value);
        }
      }
    }
    return Optional.empty();
  }

  /**
   * Runs {@code terraform output -json} in {@code dir} (with a deadline) and maps the module's
   * outputs to the variables the functions read. Topic outputs are full names, {@code
   * projects/P/topics/T}: the project comes from them too.
   */
  static Map<String, String> terraformOutputs(Path dir, Map<String, String> env) throws NotFound {
    if (!Files.isDirectory(dir)) {
      throw new NotFound("--terraform-dir " + dir + " is not a directory");
    }
    Optional<Path> terraform = onPath("terraform", env).or(() -> onPath("tofu", env));
    if (terraform.isEmpty()) {
      throw new NotFound(
          "--terraform-dir needs the terraform (or tofu) binary on PATH, and there is none;"
              + " pass --project, --inbox-bucket and --work-bucket instead");
    }
    String output;
    try {
      Path log = Files.createTempFile("batchdrop-terraform", ".json");
      try {
        Process process =
            new ProcessBuilder(terraform.get().toString(), "output", "-json")
                .directory(dir.toFile())
                .redirectOutput(log.toFile())
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        if (!process.waitFor(TERRAFORM_DEADLINE_SECONDS, TimeUnit.SECONDS)) {
          process.destroyForcibly();
          throw new NotFound(
              "terraform output -json did not answer within "
                  + TERRAFORM_DEADLINE_SECONDS
                  + " s in "
                  + dir);
        }
        if (process.exitValue() != 0) {
          throw new NotFound(
              "terraform output -json failed in " + dir + " (exit " + process.exitValue() + ")");
        }
        output = Files.readString(log, StandardCharsets.UTF_8);
      } finally {
        Files.deleteIfExists(log);
      }
    } catch (IOException e) {
      throw new NotFound("cannot run terraform output -json in " + dir + ": " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new NotFound("interrupted while reading the Terraform outputs");
    }
    return fromTerraformJson(output);
  }

  static Map<String, String> fromTerraformJson(String json) throws NotFound {
    JsonNode root;
    try {
      root = JSON.readTree(json);
    } catch (IOException e) {
      throw new NotFound("terraform output -json printed something that is not JSON");
    }
    Map<String, String> env = new HashMap<>();
    value(root, "inbox_bucket").ifPresent(v -> env.put("BATCHDROP_INBOX_BUCKET", v));
    value(root, "work_bucket").ifPresent(v -> env.put("BATCHDROP_WORK_BUCKET", v));
    Map<String, String> topics =
        Map.of(
            "results_topic", "BATCHDROP_RESULTS_TOPIC",
            "events_topic", "BATCHDROP_EVENTS_TOPIC",
            "completions_topic", "BATCHDROP_COMPLETIONS_TOPIC");
    topics.forEach(
        (output, variable) ->
            value(root, output)
                .ifPresent(
                    full -> {
                      String[] parts = full.split("/");
                      if (parts.length == 4 && parts[0].equals("projects")) {
                        env.put(variable, parts[3]);
                        env.putIfAbsent("GOOGLE_CLOUD_PROJECT", parts[1]);
                      } else {
                        env.put(variable, full);
                      }
                    }));
    return env;
  }

  private static Optional<String> value(JsonNode root, String output) {
    JsonNode value = root.path(output).path("value");
    return value.isTextual() && !value.asText().isBlank()
        ? Optional.of(value.asText())
        : Optional.empty();
  }

  private static Optional<Path> onPath(String binary, Map<String, String> env) {
    String path = env.getOrDefault("PATH", "");
    for (String dir : path.split(java.io.File.pathSeparator)) {
      if (dir.isEmpty()) {
        continue;
      }
      Path candidate = Path.of(dir, binary);
      if (Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }
}
