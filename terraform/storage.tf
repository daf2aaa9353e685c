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

# The functions' code: each shaded jar zipped alone (a single jar at the source root is the whole
# classpath for the Java buildpack). The hash in the object name makes a code change redeploy.
resource "google_storage_bucket" "sources" {
  name                        = "${var.project}-${var.name_prefix}-sources"
  location                    = var.region
  uniform_bucket_level_access = true
  public_access_prevention    = "enforced"
  force_destroy               = true # only build inputs, all reproducible from the repository

  depends_on = [google_project_service.enabled]
}

data "archive_file" "submit" {
  type             = "zip"
  source_file      = var.submit_jar
  output_path      = "${path.module}/.build/submit.zip"
  output_file_mode = "0666"
}

data "archive_file" "poll" {
  type             = "zip"
  source_file      = var.poll_jar
  output_path      = "${path.module}/.build/poll.zip"
  output_file_mode = "0666"
}

resource "google_storage_bucket_object" "submit_source" {
  name   = "submit-${data.archive_file.submit.output_md5}.zip"
  bucket = google_storage_bucket.sources.name
  source = data.archive_file.submit.output_path
}

resource "google_storage_bucket_object" "poll_source" {
  name   = "poll-${data.archive_file.poll.output_md5}.zip"
  bucket = google_storage_bucket.sources.name
  source = data.archive_file.poll.output_path
}
