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
  description = "Messages publish could not process (once publish is deployed)."
  value       = google_pubsub_subscription.dead_letter.id
}

output "submit_function" {
  description = "The submit function."
  value       = google_cloudfunctions2_function.submit.id
}

output "poll_function_uri" {
  description = "The poll function's URL (OIDC-authenticated POST only)."
  value       = google_cloudfunctions2_function.poll.service_config[0].uri
}

output "service_accounts" {
  description = "The identities Batchdrop runs as."
  value = {
    submit    = google_service_account.submit.email
    poll      = google_service_account.poll.email
    trigger   = google_service_account.trigger.email
    scheduler = google_service_account.scheduler.email
  }
}
