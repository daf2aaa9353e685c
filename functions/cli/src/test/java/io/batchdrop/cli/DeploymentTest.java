package io.batchdrop.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.batchdrop.cloud.config.BatchdropConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeploymentTest {
  @TempDir Path dir;

  private static final Map<String, String> BUCKETS =
      Map.of("BATCHDROP_INBOX_BUCKET", "in", "BATCHDROP_WORK_BUCKET", "work");

  @Test
  void theProjectComesFromTheActiveGcloudConfigurationWhenNothingElseNamesIt() throws Exception {
    Path gcloud = Files.createDirectories(dir.resolve("gcloud/configurations"));
    Files.writeString(dir.resolve("gcloud/active_config"), "work\n");
    Files.writeString(
        gcloud.resolve("config_work"),
        "[compute]\nproject = not-this\n[core]\naccount = me@example.com\nproject = my-project\n");

    BatchdropConfig config =
        Deployment.resolve(
            new DeploymentOptions(),
            with(BUCKETS, Map.of("CLOUDSDK_CONFIG", dir.resolve("gcloud").toString())));

    assertThat(config.projectId()).isEqualTo("my-project");
    assertThat(config.topics().results()).isEqualTo("batchdrop-results");
  }

  @Test
  void flagsWinOverTheEnvironmentWhichWinsOverGcloud() throws Exception {
    DeploymentOptions flags = new DeploymentOptions();
    flags.project = "from-flag";
    flags.workBucket = "flag-work";

    BatchdropConfig config =
        Deployment.resolve(
            flags,
            with(
                BUCKETS, Map.of("GOOGLE_CLOUD_PROJECT", "from-env", "CLOUDSDK_CORE_PROJECT", "g")));

    assertThat(config.projectId()).isEqualTo("from-flag");
    assertThat(config.workBucket()).isEqualTo("flag-work");
    assertThat(config.submit().inboxBucket()).isEqualTo("in");
  }

  @Test
  void noProjectAnywhereSaysWhereOneCanBeGiven() {
    assertThatThrownBy(
            () ->
                Deployment.resolve(
                    new DeploymentOptions(),
                    with(BUCKETS, Map.of("CLOUDSDK_CONFIG", dir.toString()))))
        .hasMessage(
            "no Google Cloud project: pass --project, set GOOGLE_CLOUD_PROJECT, or run `gcloud"
                + " config set project ID`");
  }

  @Test
  void terraformOutputsGiveBucketsTopicIdsAndTheProject() throws Exception {
    String json =
        "{\"inbox_bucket\":{\"value\":\"p-batchdrop-inbox\",\"type\":\"string\"},"
            + "\"work_bucket\":{\"value\":\"p-batchdrop-work\"},"
            + "\"results_topic\":{\"value\":\"projects/p/topics/batchdrop-results\"},"
            + "\"events_topic\":{\"value\":\"projects/p/topics/batchdrop-events\"},"
            + "\"functions\":{\"value\":{\"submit\":\"x\"}}}";

    Map<String, String> env = Deployment.fromTerraformJson(json);

    assertThat(env)
        .containsEntry("BATCHDROP_INBOX_BUCKET", "p-batchdrop-inbox")
        .containsEntry("BATCHDROP_WORK_BUCKET", "p-batchdrop-work")
        .containsEntry("BATCHDROP_RESULTS_TOPIC", "batchdrop-results")
        .containsEntry("BATCHDROP_EVENTS_TOPIC", "batchdrop-events")
        .containsEntry("GOOGLE_CLOUD_PROJECT", "p");
  }

  @Test
  void terraformOutputsThatAreNotJsonAreReportedAsSuch() {
    assertThatThrownBy(() -> Deployment.fromTerraformJson("Error: no state"))
        .hasMessage("terraform output -json printed something that is not JSON");
  }

  @Test
  void aTerraformDirWithoutATerraformBinarySaysWhatToPassInstead() {
    DeploymentOptions flags = new DeploymentOptions();
    flags.terraformDir = dir.toString();

    assertThatThrownBy(
            () -> Deployment.resolve(flags, Map.of("PATH", dir.resolve("empty").toString())))
        .hasMessage(
            "--terraform-dir needs the terraform (or tofu) binary on PATH, and there is none;"
                + " pass --project, --inbox-bucket and --work-bucket instead");
  }

  @Test
  void aTerraformBinaryIsRunInTheDirectoryAndItsOutputsUsed() throws Exception {
    Path bin = Files.createDirectories(dir.resolve("bin"));
    Path fake = bin.resolve("terraform");
    // A stand-in with the real command's interface: `terraform output -json` in the working dir.
    Files.writeString(
        fake, "#!/bin/sh\n[ \"$1 $2\" = \"output -json\" ] || exit 3\ncat outputs.json\n");
    fake.toFile().setExecutable(true);
    Path deployment = Files.createDirectories(dir.resolve("deploy"));
    Files.writeString(
        deployment.resolve("outputs.json"),
        "{\"inbox_bucket\":{\"value\":\"i\"},\"work_bucket\":{\"value\":\"w\"},"
            + "\"results_topic\":{\"value\":\"projects/tf-project/topics/r\"}}");
    DeploymentOptions flags = new DeploymentOptions();
    flags.terraformDir = deployment.toString();

    BatchdropConfig config = Deployment.resolve(flags, Map.of("PATH", bin.toString()));

    assertThat(config.projectId()).isEqualTo("tf-project");
    assertThat(config.submit().inboxBucket()).isEqualTo("i");
    assertThat(config.topics().results()).isEqualTo("r");
  }

  @Test
  void aGcloudPropertiesFileOnlyCountsTheCoreSection() {
    assertThat(Deployment.coreProject(List.of("[compute]", "project = x"))).isEmpty();
    assertThat(Deployment.coreProject(List.of("[core]", "project=y"))).contains("y");
  }

  private static Map<String, String> with(Map<String, String> a, Map<String, String> b) {
    java.util.HashMap<String, String> all = new java.util.HashMap<>(a);
    all.putAll(b);
    return all;
  }
}
