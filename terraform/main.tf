data "google_project" "this" {
  project_id = var.project
}

locals {
  bucket_location    = var.bucket_location != "" ? var.bucket_location : var.region
  firestore_location = var.firestore_location != "" ? var.firestore_location : var.region
  vertex_location    = var.vertex_location != "" ? var.vertex_location : var.region
  inbox_bucket_name  = var.inbox_bucket_name != "" ? var.inbox_bucket_name : "${var.project}-${var.name_prefix}-inbox"
  work_bucket_name   = var.work_bucket_name != "" ? var.work_bucket_name : "${var.project}-${var.name_prefix}-work"

  # Created by Google when the API is first used; google_project_service_identity makes sure it
  # exists before the bucket grants below name it.
  vertex_agent_member = "serviceAccount:service-${data.google_project.this.number}@gcp-sa-aiplatform.iam.gserviceaccount.com"
  # Pub/Sub's service agent forwards dead letters.
  pubsub_agent_member = "serviceAccount:service-${data.google_project.this.number}@gcp-sa-pubsub.iam.gserviceaccount.com"

  # The configuration every function gets (README "Configuration"): each function reads the
  # shared settings and its own group at start and fails naming a missing variable.
  function_env = {
    GOOGLE_CLOUD_PROJECT           = var.project
    BATCHDROP_LOCATION             = local.vertex_location
    BATCHDROP_INBOX_BUCKET         = google_storage_bucket.inbox.name
    BATCHDROP_INBOX_PREFIX         = var.inbox_prefix
    BATCHDROP_WORK_BUCKET          = google_storage_bucket.work.name
    BATCHDROP_RESULTS_TOPIC        = google_pubsub_topic.results.name
    BATCHDROP_EVENTS_TOPIC         = google_pubsub_topic.events.name
    BATCHDROP_COMPLETIONS_TOPIC    = google_pubsub_topic.completions.name
    BATCHDROP_POLL_SLICES_TOPIC    = google_pubsub_topic.poll_slices.name
    BATCHDROP_DEFAULT_MODEL        = var.default_model
    BATCHDROP_ALLOWED_MODELS       = join(",", var.allowed_models)
    BATCHDROP_POLICY               = var.policy
    BATCHDROP_MAX_INVALID_RATIO    = tostring(var.max_invalid_ratio)
    BATCHDROP_ALLOWED_FILE_BUCKETS = join(",", var.allowed_file_buckets)
    JAVA_TOOL_OPTIONS              = var.java_tool_options
    # The batch backend (gemini.tf): the Gemini API key's secret version, empty when unused.
    BATCHDROP_BACKEND               = var.backend
    BATCHDROP_ALLOWED_BACKENDS      = join(",", local.backends)
    BATCHDROP_GEMINI_API_KEY_SECRET = local.gemini_key_secret
  }

  # What publish and submit read on top (only they get these, so poll is not redeployed when
  # they change). Submit estimates each run's cost against the budget with the same price table
  # publish closes runs with. Empty values mean "not set" to the Java configuration.
  publish_env = {
    BATCHDROP_MAX_ATTEMPTS           = tostring(var.max_attempts)
    BATCHDROP_PUBLISH_BUDGET_SECONDS = tostring(var.publish_budget_seconds)
    BATCHDROP_PRICE_TABLE            = var.price_table_json
    BATCHDROP_SPILL_INLINE_MEDIA     = tostring(var.spill_inline_media)
  }
  submit_env = {
    BATCHDROP_PRICE_TABLE      = var.price_table_json
    BATCHDROP_MAX_RUN_COST_USD = var.max_run_cost_usd
  }
}

resource "google_project_service" "enabled" {
  for_each = toset([
    "aiplatform.googleapis.com",
    "artifactregistry.googleapis.com",
    "cloudbuild.googleapis.com",
    "cloudfunctions.googleapis.com",
    "cloudscheduler.googleapis.com",
    "eventarc.googleapis.com",
    "firestore.googleapis.com",
    "iam.googleapis.com",
    "logging.googleapis.com",
    "pubsub.googleapis.com",
    "run.googleapis.com",
    "storage.googleapis.com",
  ])

  project = var.project
  service = each.value
  # Other workloads in the project may use these APIs too.
  disable_on_destroy = false
}
