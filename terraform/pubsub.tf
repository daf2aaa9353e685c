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
  member = local.pubsub_agent_member

  depends_on = [google_project_service.enabled]
}

# --- dead letters of publish's trigger ----------------------------------------------------------
# Eventarc delivers completions-topic messages to publish through a push subscription it creates
# and owns (eventarc-REGION-TRIGGER-sub-NNN). The Eventarc API reports that subscription as output
# only and the function resource has no dead-letter argument, so Terraform can neither create nor
# own it (hashicorp/terraform-provider-google#17697). Eventarc's documented way is to update the
# subscription it created: this step looks the subscription up from the trigger and sets the
# dead-letter policy and the Pub/Sub agent's subscriber grant on it, with the deployer's gcloud.
# It runs again whenever the function (hence possibly its trigger) changes; the policy is not in
# Terraform state, so a change made by hand is not shown by `terraform plan`.
resource "terraform_data" "publish_dead_letter" {
  triggers_replace = [
    google_cloudfunctions2_function.function["publish"].event_trigger[0].trigger,
    google_cloudfunctions2_function.function["publish"].update_time,
    google_pubsub_topic.dead_letter.id,
    var.publish_max_delivery_attempts,
  ]

  provisioner "local-exec" {
    interpreter = ["bash", "-c"]
    environment = {
      PROJECT               = var.project
      TRIGGER               = google_cloudfunctions2_function.function["publish"].event_trigger[0].trigger
      DEAD_LETTER_TOPIC     = google_pubsub_topic.dead_letter.id
      MAX_DELIVERY_ATTEMPTS = var.publish_max_delivery_attempts
      PUBSUB_AGENT          = local.pubsub_agent_member
    }
    # TRIGGER is projects/P/locations/L/triggers/T.
    command = <<-EOT
      set -euo pipefail
      location=$(cut -d/ -f4 <<<"$TRIGGER")
      subscription=$(gcloud eventarc triggers describe "$${TRIGGER##*/}" --project="$PROJECT" \
        --location="$location" --format='value(transport.pubsub.subscription)')
      if [ -z "$subscription" ]; then
        echo "publish dead letters: trigger $TRIGGER reports no Pub/Sub subscription" >&2
        exit 1
      fi
      gcloud pubsub subscriptions update "$subscription" --project="$PROJECT" \
        --dead-letter-topic="$DEAD_LETTER_TOPIC" --max-delivery-attempts="$MAX_DELIVERY_ATTEMPTS"
      # Pub/Sub's agent acknowledges what it forwards, so it subscribes to the source subscription.
      gcloud pubsub subscriptions add-iam-policy-binding "$subscription" --project="$PROJECT" \
        --member="$PUBSUB_AGENT" --role=roles/pubsub.subscriber >/dev/null
      echo "publish dead letters: $subscription -> $DEAD_LETTER_TOPIC after $MAX_DELIVERY_ATTEMPTS deliveries"
    EOT
  }

  depends_on = [google_pubsub_topic_iam_member.dead_letter_pubsub_agent]
}
