resource "google_cloudfunctions2_function" "submit" {
  name        = "${var.name_prefix}-submit"
  location    = var.region
  description = "Validates, stages and submits a JSONL file dropped into the inbox bucket."

  build_config {
    runtime         = var.runtime
    entry_point     = "io.batchdrop.submit.SubmitFunction"
    service_account = var.build_service_account != "" ? var.build_service_account : null
    source {
      storage_source {
        bucket = google_storage_bucket.sources.name
        object = google_storage_bucket_object.submit_source.name
      }
    }
  }

  service_config {
    available_memory                 = var.submit_memory
    available_cpu                    = var.submit_cpu
    timeout_seconds                  = 540 # the most an event-driven function gets
    max_instance_request_concurrency = 1
    max_instance_count               = var.submit_max_instances
    ingress_settings                 = "ALLOW_INTERNAL_ONLY" # Eventarc is internal
    all_traffic_on_latest_revision   = true
    service_account_email            = google_service_account.submit.email
    environment_variables            = local.function_env
  }

  event_trigger {
    event_type = "google.cloud.storage.object.v1.finalized"
    # The trigger runs where the bucket is; a multi-region bucket "US" takes region "us".
    trigger_region        = lower(local.bucket_location)
    retry_policy          = "RETRY_POLICY_RETRY" # off by default: a failed upload would be dropped
    service_account_email = google_service_account.trigger.email

    event_filters {
      attribute = "bucket"
      value     = google_storage_bucket.inbox.name
    }
  }

  depends_on = [
    google_project_iam_member.gcs_agent_publishes,
    google_project_iam_member.trigger_receives_events,
    google_project_iam_member.submit_firestore,
    google_project_iam_member.submit_vertex,
  ]
}

resource "google_cloudfunctions2_function" "poll" {
  name        = "${var.name_prefix}-poll"
  location    = var.region
  description = "Called by Cloud Scheduler every minute: records Vertex AI batch job states and hands finished jobs on."

  build_config {
    runtime         = var.runtime
    entry_point     = "io.batchdrop.poll.PollFunction"
    service_account = var.build_service_account != "" ? var.build_service_account : null
    source {
      storage_source {
        bucket = google_storage_bucket.sources.name
        object = google_storage_bucket_object.poll_source.name
      }
    }
  }

  service_config {
    available_memory = var.poll_memory
    available_cpu    = var.poll_cpu
    timeout_seconds  = 300
    # One call at a time per instance; overlapping calls are safe (compare-and-set) but useless.
    max_instance_request_concurrency = 1
    max_instance_count               = 2
    ingress_settings                 = var.poll_ingress
    all_traffic_on_latest_revision   = true
    service_account_email            = google_service_account.poll.email
    environment_variables            = local.function_env
  }

  depends_on = [
    google_project_iam_member.poll_firestore,
    google_project_iam_member.poll_vertex,
  ]
}
