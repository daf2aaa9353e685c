output "inbox_bucket" {
  description = "Upload JSONL files here (gs://<bucket>/<inbox_prefix>...)."
  value       = google_storage_bucket.inbox.name
}

output "work_bucket" {
  description = "Staged shards, Vertex output and reports (runs/{runId}/...)."
  value       = google_storage_bucket.work.name
}

output "results_topic" {
  description = "Subscribe here for one message per input row."
  value       = google_pubsub_topic.results.id
}

output "events_topic" {
  description = "Subscribe here for run and job lifecycle events."
  value       = google_pubsub_topic.events.id
}

output "completions_topic" {
  description = "Internal hand-off from poll to publish."
  value       = google_pubsub_topic.completions.id
}

output "dead_letter_subscription" {
  description = "Hand-offs publish could not process after publish_max_delivery_attempts deliveries."
  value       = google_pubsub_subscription.dead_letter.id
}

output "functions" {
  description = "The deployed functions, by name in local.functions."
  value       = { for name, f in google_cloudfunctions2_function.function : name => f.id }
}

output "submit_function" {
  description = "The submit function."
  value       = google_cloudfunctions2_function.function["submit"].id
}

output "poll_function_uri" {
  description = "The poll function's URL (OIDC-authenticated POST only)."
  value       = google_cloudfunctions2_function.function["poll"].service_config[0].uri
}

output "publish_trigger" {
  description = "The Eventarc trigger feeding publish from the completions topic (its subscription carries the dead-letter policy)."
  value       = google_cloudfunctions2_function.function["publish"].event_trigger[0].trigger
}

output "service_accounts" {
  description = "The identities Batchdrop runs as."
  value = {
    submit          = google_service_account.submit.email
    poll            = google_service_account.poll.email
    poll_slices     = google_service_account.poll_slices.email
    publish         = google_service_account.publish.email
    trigger         = google_service_account.trigger.email
    publish_trigger = google_service_account.publish_trigger.email
    slices_trigger  = google_service_account.poll_slices_trigger.email
    scheduler       = google_service_account.scheduler.email
  }
}
