# One identity per job, each with the least roles on the narrowest resource that grants them.
# Firestore and Vertex AI have no finer IAM scope than the project.

resource "google_service_account" "submit" {
  account_id   = "${var.name_prefix}-submit"
  display_name = "Batchdrop submit function"
  depends_on   = [google_project_service.enabled]
}

resource "google_service_account" "poll" {
  account_id   = "${var.name_prefix}-poll"
  display_name = "Batchdrop poll function"
  depends_on   = [google_project_service.enabled]
}

# Polls slices: poll's job without the Scheduler's extras (no slices to publish, no run watchdog).
resource "google_service_account" "poll_slices" {
  account_id   = "${var.name_prefix}-poll-slices"
  display_name = "Batchdrop poll-slices function"
  depends_on   = [google_project_service.enabled]
}

resource "google_service_account" "publish" {
  account_id   = "${var.name_prefix}-publish"
  display_name = "Batchdrop publish function"
  depends_on   = [google_project_service.enabled]
}

resource "google_service_account" "trigger" {
  account_id   = "${var.name_prefix}-trigger"
  display_name = "Batchdrop Eventarc trigger (delivers inbox uploads to submit)"
  depends_on   = [google_project_service.enabled]
}

# Its own account, so that what delivers hand-offs can invoke publish and nothing else. The id
# stays within the 30 characters a service account id may have for the longest name_prefix.
resource "google_service_account" "publish_trigger" {
  account_id   = "${var.name_prefix}-pubsub-trigger"
  display_name = "Batchdrop Eventarc Pub/Sub trigger (delivers completions hand-offs to publish)"
  depends_on   = [google_project_service.enabled]
}

# Its own account, so that what delivers slices can invoke poll-slices and nothing else.
resource "google_service_account" "poll_slices_trigger" {
  account_id   = "${var.name_prefix}-slices-trigger"
  display_name = "Batchdrop Eventarc Pub/Sub trigger (delivers poll slices to poll-slices)"
  depends_on   = [google_project_service.enabled]
}

resource "google_service_account" "scheduler" {
  account_id   = "${var.name_prefix}-scheduler"
  display_name = "Batchdrop Cloud Scheduler (calls poll)"
  depends_on   = [google_project_service.enabled]
}

# --- submit ---------------------------------------------------------------------------------

resource "google_storage_bucket_iam_member" "submit_reads_inbox" {
  bucket = google_storage_bucket.inbox.name
  role   = "roles/storage.objectViewer"
  member = google_service_account.submit.member
}

# objectUser = create, read, list and delete objects, no IAM: submit writes shards, invalid.jsonl
# and report.json, reads invalid.jsonl back, and deletes the staged shards of a rejected file.
resource "google_storage_bucket_iam_member" "submit_writes_work" {
  bucket = google_storage_bucket.work.name
  role   = "roles/storage.objectUser"
  member = google_service_account.submit.member
}

resource "google_project_iam_member" "submit_firestore" {
  project = var.project
  role    = "roles/datastore.user"
  member  = google_service_account.submit.member
}

resource "google_project_iam_member" "submit_vertex" {
  project = var.project
  role    = "roles/aiplatform.user"
  member  = google_service_account.submit.member
}

resource "google_pubsub_topic_iam_member" "submit_publishes_results" {
  topic  = google_pubsub_topic.results.id
  role   = "roles/pubsub.publisher"
  member = google_service_account.submit.member
}

resource "google_pubsub_topic_iam_member" "submit_publishes_events" {
  topic  = google_pubsub_topic.events.id
  role   = "roles/pubsub.publisher"
  member = google_service_account.submit.member
}

# --- poll -----------------------------------------------------------------------------------

# The run watchdog reads the invalid.jsonl of a run it ends: all poll does with the work bucket
# on Vertex AI.
resource "google_storage_bucket_iam_member" "poll_reads_work" {
  bucket = google_storage_bucket.work.name
  role   = "roles/storage.objectViewer"
  member = google_service_account.poll.member
}

# objectUser = create, read, list and delete objects, no IAM, only while the Gemini API backend is
# allowed: a finished batch's responses file is copied into the work bucket (through a partial
# object it deletes), and a recovered create writes the Gemini copy of its staged shard.
resource "google_storage_bucket_iam_member" "poll_uses_work" {
  count  = local.uses_gemini ? 1 : 0
  bucket = google_storage_bucket.work.name
  role   = "roles/storage.objectUser"
  member = google_service_account.poll.member
}

# It used to be granted on every backend: a Vertex-only deployment drops it, the others keep it.
moved {
  from = google_storage_bucket_iam_member.poll_uses_work
  to   = google_storage_bucket_iam_member.poll_uses_work[0]
}

resource "google_project_iam_member" "poll_firestore" {
  project = var.project
  role    = "roles/datastore.user"
  member  = google_service_account.poll.member
}

resource "google_project_iam_member" "poll_vertex" {
  project = var.project
  role    = "roles/aiplatform.user"
  member  = google_service_account.poll.member
}

resource "google_pubsub_topic_iam_member" "poll_publishes_events" {
  topic  = google_pubsub_topic.events.id
  role   = "roles/pubsub.publisher"
  member = google_service_account.poll.member
}

resource "google_pubsub_topic_iam_member" "poll_publishes_completions" {
  topic  = google_pubsub_topic.completions.id
  role   = "roles/pubsub.publisher"
  member = google_service_account.poll.member
}

# The run watchdog publishes the invalid rows of a run it ends (README, "The poll function").
resource "google_pubsub_topic_iam_member" "poll_publishes_results" {
  topic  = google_pubsub_topic.results.id
  role   = "roles/pubsub.publisher"
  member = google_service_account.poll.member
}

# A crowded tick's slices, for poll-slices.
resource "google_pubsub_topic_iam_member" "poll_publishes_slices" {
  topic  = google_pubsub_topic.poll_slices.id
  role   = "roles/pubsub.publisher"
  member = google_service_account.poll.member
}

# --- poll-slices: get and record jobs, recover CREATING ones, events and hand-offs ------------

# The same work-bucket use as poll's gets and recoveries: reads on every backend; writes only on
# the Gemini API (the responses copy, a recovered create's Gemini shard).
resource "google_storage_bucket_iam_member" "poll_slices_reads_work" {
  bucket = google_storage_bucket.work.name
  role   = "roles/storage.objectViewer"
  member = google_service_account.poll_slices.member
}

resource "google_storage_bucket_iam_member" "poll_slices_uses_work" {
  count  = local.uses_gemini ? 1 : 0
  bucket = google_storage_bucket.work.name
  role   = "roles/storage.objectUser"
  member = google_service_account.poll_slices.member
}

moved {
  from = google_storage_bucket_iam_member.poll_slices_uses_work
  to   = google_storage_bucket_iam_member.poll_slices_uses_work[0]
}

resource "google_project_iam_member" "poll_slices_firestore" {
  project = var.project
  role    = "roles/datastore.user"
  member  = google_service_account.poll_slices.member
}

resource "google_project_iam_member" "poll_slices_vertex" {
  project = var.project
  role    = "roles/aiplatform.user"
  member  = google_service_account.poll_slices.member
}

resource "google_pubsub_topic_iam_member" "poll_slices_publishes_events" {
  topic  = google_pubsub_topic.events.id
  role   = "roles/pubsub.publisher"
  member = google_service_account.poll_slices.member
}

resource "google_pubsub_topic_iam_member" "poll_slices_publishes_completions" {
  topic  = google_pubsub_topic.completions.id
  role   = "roles/pubsub.publisher"
  member = google_service_account.poll_slices.member
}

# --- publish ---------------------------------------------------------------------------------
# Nothing on the inbox bucket: publish reads the staged input and Vertex output in the work bucket.

# objectUser = create, read, list and delete objects, no IAM: publish reads Vertex output and the
# staged shards, writes retry shards, payloads/ and report.json.
resource "google_storage_bucket_iam_member" "publish_uses_work" {
  bucket = google_storage_bucket.work.name
  role   = "roles/storage.objectUser"
  member = google_service_account.publish.member
}

resource "google_project_iam_member" "publish_firestore" {
  project = var.project
  role    = "roles/datastore.user"
  member  = google_service_account.publish.member
}

# Retries of failed and missing rows are new batch jobs.
resource "google_project_iam_member" "publish_vertex" {
  project = var.project
  role    = "roles/aiplatform.user"
  member  = google_service_account.publish.member
}

resource "google_pubsub_topic_iam_member" "publish_publishes_results" {
  topic  = google_pubsub_topic.results.id
  role   = "roles/pubsub.publisher"
  member = google_service_account.publish.member
}

resource "google_pubsub_topic_iam_member" "publish_publishes_events" {
  topic  = google_pubsub_topic.events.id
  role   = "roles/pubsub.publisher"
  member = google_service_account.publish.member
}

# Out of time budget, publish re-sends its own hand-off to continue in a new call.
resource "google_pubsub_topic_iam_member" "publish_publishes_completions" {
  topic  = google_pubsub_topic.completions.id
  role   = "roles/pubsub.publisher"
  member = google_service_account.publish.member
}

# --- event delivery -------------------------------------------------------------------------

# Cloud Storage publishes object notifications to Eventarc's Pub/Sub transport.
data "google_storage_project_service_account" "gcs_agent" {
  depends_on = [google_project_service.enabled]
}

resource "google_project_iam_member" "gcs_agent_publishes" {
  project = var.project
  role    = "roles/pubsub.publisher"
  member  = data.google_storage_project_service_account.gcs_agent.member
}

resource "google_project_iam_member" "trigger_receives_events" {
  project = var.project
  role    = "roles/eventarc.eventReceiver"
  member  = google_service_account.trigger.member
}

# Granted on the submit service alone, so it can only exist once the function does; Eventarc
# retries (RETRY_POLICY_RETRY) cover an upload that arrives in the seconds in between.
resource "google_cloud_run_service_iam_member" "trigger_invokes_submit" {
  location = google_cloudfunctions2_function.function["submit"].location
  service  = google_cloudfunctions2_function.function["submit"].name
  role     = "roles/run.invoker"
  member   = google_service_account.trigger.member
}

# Pub/Sub triggers need no eventarc.eventReceiver (Eventarc "Roles and permissions for Cloud Run
# targets"): the publish trigger account holds this one grant and nothing else.
resource "google_cloud_run_service_iam_member" "publish_trigger_invokes_publish" {
  location = google_cloudfunctions2_function.function["publish"].location
  service  = google_cloudfunctions2_function.function["publish"].name
  role     = "roles/run.invoker"
  member   = google_service_account.publish_trigger.member
}

# Like publish's: the slices trigger account holds this one grant and nothing else.
resource "google_cloud_run_service_iam_member" "slices_trigger_invokes_poll_slices" {
  location = google_cloudfunctions2_function.function["poll-slices"].location
  service  = google_cloudfunctions2_function.function["poll-slices"].name
  role     = "roles/run.invoker"
  member   = google_service_account.poll_slices_trigger.member
}

resource "google_cloud_run_service_iam_member" "scheduler_invokes_poll" {
  location = google_cloudfunctions2_function.function["poll"].location
  service  = google_cloudfunctions2_function.function["poll"].name
  role     = "roles/run.invoker"
  member   = google_service_account.scheduler.member
}

# --- Vertex AI service agent: reads the staged input, writes the output ----------------------

resource "google_project_service_identity" "vertex_agent" {
  provider = google-beta
  project  = var.project
  service  = "aiplatform.googleapis.com"

  depends_on = [google_project_service.enabled]
}

resource "google_storage_bucket_iam_member" "vertex_reads_work" {
  bucket     = google_storage_bucket.work.name
  role       = "roles/storage.objectViewer"
  member     = local.vertex_agent_member
  depends_on = [google_project_service_identity.vertex_agent]
}

resource "google_storage_bucket_iam_member" "vertex_writes_work" {
  bucket     = google_storage_bucket.work.name
  role       = "roles/storage.objectCreator"
  member     = local.vertex_agent_member
  depends_on = [google_project_service_identity.vertex_agent]
}

# Requests may reference files (fileData.fileUri) in these buckets; Vertex reads them itself.
resource "google_storage_bucket_iam_member" "vertex_reads_file_buckets" {
  for_each = toset(var.allowed_file_buckets)

  bucket     = each.value
  role       = "roles/storage.objectViewer"
  member     = local.vertex_agent_member
  depends_on = [google_project_service_identity.vertex_agent]
}
