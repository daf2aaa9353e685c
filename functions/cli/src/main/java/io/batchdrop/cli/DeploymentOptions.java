package io.batchdrop.cli;

import picocli.CommandLine.Option;

/**
 * Where the deployment is, for the commands that talk to it, mixed in. Each flag wins over the
 * environment variable of the same meaning, which wins over the Terraform outputs ({@link
 * Deployment}).
 */
final class DeploymentOptions {
  @Option(
      names = "--project",
      paramLabel = "ID",
      description =
          "Google Cloud project (default: GOOGLE_CLOUD_PROJECT, then the gcloud configuration).")
  String project;

  @Option(
      names = "--inbox-bucket",
      paramLabel = "BUCKET",
      description = "Upload bucket (default: BATCHDROP_INBOX_BUCKET or the Terraform output).")
  String inboxBucket;

  @Option(
      names = "--work-bucket",
      paramLabel = "BUCKET",
      description = "Work bucket (default: BATCHDROP_WORK_BUCKET or the Terraform output).")
  String workBucket;

  @Option(
      names = "--terraform-dir",
      paramLabel = "DIR",
      description = "Read buckets, topics and project from `terraform output -json` in DIR.")
  String terraformDir;
}
