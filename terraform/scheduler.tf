resource "google_cloud_scheduler_job" "poll" {
  name        = "${var.name_prefix}-poll"
  region      = var.region
  description = "Calls the poll function."
  schedule    = var.poll_schedule
  time_zone   = "Etc/UTC"
  # Scheduler treats a call still running at the deadline as failed and starts another: keep the
  # deadline above poll's timeout.
  attempt_deadline = "${google_cloudfunctions2_function.function["poll"].service_config[0].timeout_seconds + 20}s"

  retry_config {
    retry_count = 0 # the next tick is the retry
  }

  http_target {
    uri         = google_cloudfunctions2_function.function["poll"].service_config[0].uri
    http_method = "POST"

    oidc_token {
      service_account_email = google_service_account.scheduler.email
      audience              = google_cloudfunctions2_function.function["poll"].service_config[0].uri
    }
  }

  depends_on = [
    google_project_service.enabled,
    google_cloud_run_service_iam_member.scheduler_invokes_poll,
  ]
}
