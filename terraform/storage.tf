# Two buckets: the inbox is the trigger's only source (a GCS trigger filters on bucket alone), so
# Vertex output and staged shards in the work bucket never re-trigger submit.

resource "google_storage_bucket" "inbox" {
  name                        = local.inbox_bucket_name
  location                    = local.bucket_location
  uniform_bucket_level_access = true
  public_access_prevention    = "enforced"
  force_destroy               = var.force_destroy

  lifecycle_rule {
    condition {
      age = var.inbox_retention_days
    }
    action {
      type = "Delete"
    }
  }

  lifecycle_rule {
    condition {
      age = 1
    }
    action {
      type = "AbortIncompleteMultipartUpload"
    }
  }

  depends_on = [google_project_service.enabled]
}

resource "google_storage_bucket" "work" {
  name                        = local.work_bucket_name
  location                    = local.bucket_location
  uniform_bucket_level_access = true
  public_access_prevention    = "enforced"
  force_destroy               = var.force_destroy

  lifecycle_rule {
    condition {
      age = var.work_retention_days
    }
    action {
      type = "Delete"
    }
  }

  lifecycle_rule {
    condition {
      age = 1
    }
    action {
      type = "AbortIncompleteMultipartUpload"
    }
  }

  depends_on = [google_project_service.enabled]
}

# The functions' code: functions.tf zips each shaded jar and uploads it here.
resource "google_storage_bucket" "sources" {
  name                        = "${var.project}-${var.name_prefix}-sources"
  location                    = var.region
  uniform_bucket_level_access = true
  public_access_prevention    = "enforced"
  force_destroy               = true # only build inputs, all reproducible from the repository

  depends_on = [google_project_service.enabled]
}
