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

# Internal: a crowded poll tick's slices, one message per slice, to the poll-slices function.
resource "google_pubsub_topic" "poll_slices" {
  name = "${var.name_prefix}-poll-slices"
  # A slice is worth handling during its tick only; an hour covers any redelivery.
  message_retention_duration = "3600s"
  depends_on                 = [google_project_service.enabled]
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

# --- dead letters of the Pub/Sub triggers --------------------------------------------------------
# Eventarc delivers completions-topic messages to publish (and poll-slices messages to poll-slices)
# through a push subscription it creates
# and owns (eventarc-REGION-TRIGGER-sub-NNN). The Eventarc API reports that subscription as output
# only and the function resource has no dead-letter argument, so Terraform can neither create nor
# own it (hashicorp/terraform-provider-google#17697). Eventarc's documented way is to update the
# subscription it created: this step looks the subscription up from the trigger and sets the
# dead-letter policy and the Pub/Sub agent's subscriber grant on it, with the deployer's gcloud.
# It runs again whenever the function (hence possibly its trigger) changes; the policy is not in
# Terraform state, so a change made by hand is not shown by `terraform plan`.
#
# Per Pub/Sub-triggered function, the deliveries before a message is dead-lettered. A slice is
# stale after its tick (about three redeliveries), so Pub/Sub's minimum of 5 is plenty; its dead
# letters (attribute "slice") are only a record that a tick's range went unpolled.
locals {
  dead_lettered = {
    publish     = var.publish_max_delivery_attempts
    poll-slices = 5
  }
}

resource "terraform_data" "dead_letter" {
  for_each = local.dead_lettered

  triggers_replace = [
    google_cloudfunctions2_function.function[each.key].event_trigger[0].trigger,
    google_cloudfunctions2_function.function[each.key].update_time,
    google_pubsub_topic.dead_letter.id,
    each.value,
  ]

  provisioner "local-exec" {
    interpreter = ["bash", "-c"]
    environment = {
      PROJECT               = var.project
      TRIGGER               = google_cloudfunctions2_function.function[each.key].event_trigger[0].trigger
      DEAD_LETTER_TOPIC     = google_pubsub_topic.dead_letter.id
      MAX_DELIVERY_ATTEMPTS = each.value
      PUBSUB_AGENT          = local.pubsub_agent_member
    }
    # TRIGGER is projects/P/locations/L/triggers/T.
    command = <<-EOT
      set -euo pipefail
      location=$(cut -d/ -f4 <<<"$TRIGGER")
      subscription=$(gcloud eventarc triggers describe "$${TRIGGER##*/}" --project="$PROJECT" \
        --location="$location" --format='value(transport.pubsub.subscription)')
      if [ -z "$subscription" ]; then
        echo "dead letters: trigger $TRIGGER reports no Pub/Sub subscription" >&2
        exit 1
      fi
      gcloud pubsub subscriptions update "$subscription" --project="$PROJECT" \
        --dead-letter-topic="$DEAD_LETTER_TOPIC" --max-delivery-attempts="$MAX_DELIVERY_ATTEMPTS"
      # Pub/Sub's agent acknowledges what it forwards, so it subscribes to the source subscription.
      gcloud pubsub subscriptions add-iam-policy-binding "$subscription" --project="$PROJECT" \
        --member="$PUBSUB_AGENT" --role=roles/pubsub.subscriber >/dev/null
      echo "dead letters: $subscription -> $DEAD_LETTER_TOPIC after $MAX_DELIVERY_ATTEMPTS deliveries"
    EOT
  }

  depends_on = [google_pubsub_topic_iam_member.dead_letter_pubsub_agent]
}

# The step used to be publish's alone: keep its state (no re-run) when it moves into the map.
moved {
  from = terraform_data.publish_dead_letter
  to   = terraform_data.dead_letter["publish"]
}
