# Subscribers attach their own subscriptions to results and events; Batchdrop only publishes.
resource "google_pubsub_topic" "results" {
  name       = "${var.name_prefix}-results"
  depends_on = [google_project_service.enabled]
}

resource "google_pubsub_topic" "events" {
  name       = "${var.name_prefix}-events"
  depends_on = [google_project_service.enabled]
}

# Internal: poll hands finished jobs to publish here.
resource "google_pubsub_topic" "completions" {
  name       = "${var.name_prefix}-completions"
  depends_on = [google_project_service.enabled]
}

# Hand-offs that publish keeps failing end up here. A dead-letter topic without a subscription
# drops what it receives, hence the subscription, kept for the longest retention Pub/Sub allows.
resource "google_pubsub_topic" "dead_letter" {
  name       = "${var.name_prefix}-dead-letter"
  depends_on = [google_project_service.enabled]
}

resource "google_pubsub_subscription" "dead_letter" {
  name                       = "${var.name_prefix}-dead-letter"
  topic                      = google_pubsub_topic.dead_letter.id
  message_retention_duration = "2678400s" # 31 days
  ack_deadline_seconds       = 60

  expiration_policy {
    ttl = "" # never expires, even when nobody reads it for a month
  }
}

# Pub/Sub's own service agent forwards dead letters, so it publishes to the dead-letter topic.
resource "google_pubsub_topic_iam_member" "dead_letter_pubsub_agent" {
  topic  = google_pubsub_topic.dead_letter.id
  role   = "roles/pubsub.publisher"
  member = "serviceAccount:service-${data.google_project.this.number}@gcp-sa-pubsub.iam.gserviceaccount.com"

  depends_on = [google_project_service.enabled]
}

# -------------------------------------------------------------------------------------------
# NOT DEPLOYED YET: the publish function.
# When functions/publish exists, it goes here, in functions.tf and iam.tf:
#   - google_cloudfunctions2_function "publish": entry point io.batchdrop.publish.PublishFunction,
#     event_trigger { event_type = "google.cloud.pubsub.topic.v1.messagePublished",
#     pubsub_topic = google_pubsub_topic.completions.id, retry_policy = "RETRY_POLICY_RETRY",
#     service_account_email = <trigger SA> }, the same local.function_env, timeout 540 s;
#   - the dead-letter policy of its trigger's subscription pointing at
#     google_pubsub_topic.dead_letter (and subscriber on that subscription for the Pub/Sub agent);
#   - its own service account: objectViewer + objectCreator on the work bucket (reads Vertex
#     output, writes payloads/ and report.json), publisher on results, events and completions
#     (it re-sends its own hand-off), datastore.user, aiplatform.user (retry shards).
# -------------------------------------------------------------------------------------------
