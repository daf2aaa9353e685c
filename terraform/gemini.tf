# The Gemini Developer API backend: an API key, kept in Secret Manager. Terraform creates the
# secret only, never its value (a value in Terraform would sit in the state file): add it with
#   printf '%s' "$KEY" | gcloud secrets versions add NAME_PREFIX-gemini-api-key --data-file=-
# The functions read the version named in BATCHDROP_GEMINI_API_KEY_SECRET once per instance.
locals {
  backends          = length(var.allowed_backends) > 0 ? var.allowed_backends : [var.backend]
  uses_gemini       = contains(local.backends, "gemini-api")
  gemini_key_secret = local.uses_gemini ? "${google_secret_manager_secret.gemini_api_key[0].id}/versions/latest" : ""

  # submit creates batches, poll and poll-slices read them and copy their responses, publish
  # creates retries: all four call the Gemini API.
  gemini_callers = local.uses_gemini ? {
    submit      = google_service_account.submit.member
    poll        = google_service_account.poll.member
    poll_slices = google_service_account.poll_slices.member
    publish     = google_service_account.publish.member
  } : {}

}

resource "google_project_service" "secretmanager" {
  count              = local.uses_gemini ? 1 : 0
  project            = var.project
  service            = "secretmanager.googleapis.com"
  disable_on_destroy = false
}

resource "google_secret_manager_secret" "gemini_api_key" {
  count     = local.uses_gemini ? 1 : 0
  project   = var.project
  secret_id = "${var.name_prefix}-gemini-api-key"

  replication {
    auto {}
  }

  depends_on = [google_project_service.secretmanager]
}

# Read access on this one secret only, for the functions that call the Gemini API.
resource "google_secret_manager_secret_iam_member" "gemini_key_reader" {
  for_each  = local.gemini_callers
  project   = var.project
  secret_id = google_secret_manager_secret.gemini_api_key[0].secret_id
  role      = "roles/secretmanager.secretAccessor"
  member    = each.value
}
