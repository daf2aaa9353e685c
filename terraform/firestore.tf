resource "google_firestore_database" "default" {
  count = var.manage_firestore_database ? 1 : 0

  name                    = "(default)"
  location_id             = local.firestore_location
  type                    = "FIRESTORE_NATIVE"
  delete_protection_state = "DELETE_PROTECTION_ENABLED"
  # ABANDON: `terraform destroy` leaves the runs and jobs history in place.
  deletion_policy = "ABANDON"

  depends_on = [google_project_service.enabled]
}

# The two composite indexes poll's queries need (README, "The poll function"). Firestore appends
# __name__ with the last field's direction to every composite index, and the provider ignores
# that appended field in its diff, so only the query's own fields are declared here.

# Due jobs: active == true AND nextPollAt <= now, ORDER BY nextPollAt.
resource "google_firestore_index" "jobs_due" {
  project    = var.project
  database   = "(default)"
  collection = "jobs"

  fields {
    field_path = "active"
    order      = "ASCENDING"
  }
  fields {
    field_path = "nextPollAt"
    order      = "ASCENDING"
  }

  depends_on = [google_firestore_database.default]
}

# Finished jobs whose hand-off to publish is to be resent: publish.done == false, ORDER BY handoffAt.
resource "google_firestore_index" "jobs_handoff" {
  project    = var.project
  database   = "(default)"
  collection = "jobs"

  fields {
    field_path = "publish.done"
    order      = "ASCENDING"
  }
  fields {
    field_path = "handoffAt"
    order      = "ASCENDING"
  }

  depends_on = [google_firestore_database.default]
}

# Poll's run watchdog: runs left VALIDATING with no sign of life, state == "VALIDATING" AND
# updatedAt <= now - BATCHDROP_RUN_STUCK_MINUTES, ORDER BY updatedAt. (The outbox selection,
# outboxDue <= t ORDER BY outboxDue, and progressStale == true use automatic single-field indexes.)
resource "google_firestore_index" "runs_stalled" {
  project    = var.project
  database   = "(default)"
  collection = "runs"

  fields {
    field_path = "state"
    order      = "ASCENDING"
  }
  fields {
    field_path = "updatedAt"
    order      = "ASCENDING"
  }

  depends_on = [google_firestore_database.default]
}

# Poll's run watchdog: runs whose submit deliveries keep failing, state == "VALIDATING" AND
# failures.submit >= BATCHDROP_RUN_MAX_FAILURES ORDER BY failures.submit.
resource "google_firestore_index" "runs_failing" {
  project    = var.project
  database   = "(default)"
  collection = "runs"

  fields {
    field_path = "state"
    order      = "ASCENDING"
  }
  fields {
    field_path = "failures.submit"
    order      = "ASCENDING"
  }

  depends_on = [google_firestore_database.default]
}

# `batchdrop runs --state S`: state == S ORDER BY createdAt DESC (functions/cli RunStore.recent).
# Without --state, ORDER BY createdAt DESC uses the automatic single-field index.
resource "google_firestore_index" "runs_recent_by_state" {
  project    = var.project
  database   = "(default)"
  collection = "runs"

  fields {
    field_path = "state"
    order      = "ASCENDING"
  }
  fields {
    field_path = "createdAt"
    order      = "DESCENDING"
  }

  depends_on = [google_firestore_database.default]
}
