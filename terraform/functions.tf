# Every function is one entry of local.functions; the resources below (the zip of its jar, the
# uploaded source object and the function itself) are stamped out per entry. Adding a function is
# one entry here plus its identity and grants in iam.tf (least privilege differs per function, so
# the grants stay written out). The offline check (check/) fails when a function module under
# functions/* is not deployed here.
#
# A map rather than a local module: the offline check has no terraform binary, and evaluating a
# for_each over a literal map is within its reach, evaluating module calls is not; a module would
# also only wrap the three resources below, with every field passed through.
locals {
  # Each function's own timeout, so a Vertex job's create claim ends before the platform kills
  # its holder (BATCHDROP_FUNCTION_TIMEOUT_SECONDS); keep in step with timeout_seconds below.
  timeout_540_env = { BATCHDROP_FUNCTION_TIMEOUT_SECONDS = "540" }
  timeout_300_env = { BATCHDROP_FUNCTION_TIMEOUT_SECONDS = "300" }

  functions = {
    submit = {
      description     = "Validates, stages and submits a JSONL file dropped into the inbox bucket."
      entry_point     = "io.batchdrop.submit.SubmitFunction"
      jar             = var.submit_jar
      memory          = var.submit_memory
      cpu             = var.submit_cpu
      timeout_seconds = 540 # the most an event-driven function gets
      concurrency     = 1
      min_instances   = var.submit_min_instances
      max_instances   = var.submit_max_instances
      ingress         = "ALLOW_INTERNAL_ONLY" # Eventarc is internal
      service_account = google_service_account.submit.email
      # The create window of a Vertex job claim must end before the platform kills its holder.
      environment = merge(local.function_env, local.submit_env, local.timeout_540_env)
      event_trigger = [{
        event_type = "google.cloud.storage.object.v1.finalized"
        # The trigger runs where the bucket is; a multi-region bucket "US" takes region "us".
        region          = lower(local.bucket_location)
        pubsub_topic    = null
        filters         = { bucket = google_storage_bucket.inbox.name }
        service_account = google_service_account.trigger.email
      }]
    }

    poll = {
      description     = "Called by Cloud Scheduler every minute: records Vertex AI batch job states and hands finished jobs on."
      entry_point     = "io.batchdrop.poll.PollFunction"
      jar             = var.poll_jar
      memory          = var.poll_memory
      cpu             = var.poll_cpu
      timeout_seconds = 300
      # One call at a time per instance; overlapping calls are safe (compare-and-set) but useless.
      concurrency = 1
      # Called every minute, so an instance rarely goes idle long enough to be stopped: no
      # instance is kept for it.
      min_instances   = 0
      max_instances   = 2
      ingress         = var.poll_ingress
      service_account = google_service_account.poll.email
      environment     = merge(local.function_env, local.timeout_300_env)
      event_trigger   = [] # HTTP: called by the Scheduler job in scheduler.tf
    }

    # The poll jar again, as a Pub/Sub-triggered function: when more jobs are due than one call
    # takes, the Scheduler's call publishes slices of them to the poll-slices topic and these
    # instances poll the slices in parallel (design §1, docs/scale.md).
    poll-slices = {
      description     = "Polls one slice of a crowded tick's due jobs, published by poll to the poll-slices topic."
      entry_point     = "io.batchdrop.poll.PollSliceFunction"
      jar             = var.poll_jar
      memory          = var.poll_memory
      cpu             = var.poll_cpu
      timeout_seconds = 300
      # One slice per instance: the instance's pool of Vertex gets is the slice's bound.
      concurrency     = 1
      min_instances   = 0 # only a crowded tick calls it
      max_instances   = var.poll_slices_max_instances
      ingress         = "ALLOW_INTERNAL_ONLY" # Eventarc is internal
      service_account = google_service_account.poll_slices.email
      environment     = merge(local.function_env, local.timeout_300_env)
      event_trigger = [{
        event_type      = "google.cloud.pubsub.topic.v1.messagePublished"
        region          = var.region
        pubsub_topic    = google_pubsub_topic.poll_slices.id
        filters         = {}
        service_account = google_service_account.poll_slices_trigger.email
      }]
    }

    publish = {
      description     = "Reads a finished job's output and publishes one result message per row; retries what may succeed; closes the run."
      entry_point     = "io.batchdrop.publish.PublishFunction"
      jar             = var.publish_jar
      memory          = var.publish_memory
      cpu             = var.publish_cpu
      timeout_seconds = 540 # BATCHDROP_PUBLISH_BUDGET_SECONDS stops it earlier and continues in a new call
      # One hand-off per instance: a call streams files and holds one window of publishes in memory.
      concurrency     = 1
      min_instances   = var.publish_min_instances
      max_instances   = var.publish_max_instances
      ingress         = "ALLOW_INTERNAL_ONLY" # Eventarc is internal
      service_account = google_service_account.publish.email
      environment     = merge(local.function_env, local.publish_env, local.timeout_540_env)
      event_trigger = [{
        event_type = "google.cloud.pubsub.topic.v1.messagePublished"
        region     = var.region
        # Eventarc subscribes to this existing topic (its transport) instead of creating one;
        # pubsub.tf puts a dead-letter policy on the subscription it creates.
        pubsub_topic    = google_pubsub_topic.completions.id
        filters         = {}
        service_account = google_service_account.publish_trigger.email
      }]
    }
  }
}

# Each shaded jar zipped alone (a single jar at the source root is the whole classpath for the
# Java buildpack). The hash in the object name makes a code change redeploy.
data "archive_file" "function" {
  for_each = local.functions

  type             = "zip"
  source_file      = each.value.jar
  output_path      = "${path.module}/.build/${each.key}.zip"
  output_file_mode = "0666"
}

resource "google_storage_bucket_object" "source" {
  for_each = local.functions

  name   = "${each.key}-${data.archive_file.function[each.key].output_md5}.zip"
  bucket = google_storage_bucket.sources.name
  source = data.archive_file.function[each.key].output_path
}

resource "google_cloudfunctions2_function" "function" {
  for_each = local.functions

  name        = "${var.name_prefix}-${each.key}"
  location    = var.region
  description = each.value.description

  build_config {
    runtime         = var.runtime
    entry_point     = each.value.entry_point
    service_account = var.build_service_account != "" ? var.build_service_account : null
    source {
      storage_source {
        bucket = google_storage_bucket.sources.name
        object = google_storage_bucket_object.source[each.key].name
      }
    }
  }

  service_config {
    available_memory                 = each.value.memory
    available_cpu                    = each.value.cpu
    timeout_seconds                  = each.value.timeout_seconds
    max_instance_request_concurrency = each.value.concurrency
    min_instance_count               = each.value.min_instances
    max_instance_count               = each.value.max_instances
    ingress_settings                 = each.value.ingress
    all_traffic_on_latest_revision   = true
    service_account_email            = each.value.service_account
    environment_variables            = each.value.environment
  }

  dynamic "event_trigger" {
    for_each = each.value.event_trigger
    content {
      event_type     = event_trigger.value.event_type
      trigger_region = event_trigger.value.region
      pubsub_topic   = event_trigger.value.pubsub_topic
      # Off by default: a failed upload or hand-off would be dropped.
      retry_policy          = "RETRY_POLICY_RETRY"
      service_account_email = event_trigger.value.service_account

      dynamic "event_filters" {
        for_each = event_trigger.value.filters
        content {
          attribute = event_filters.key
          value     = event_filters.value
        }
      }
    }
  }

  # A for_each resource has one depends_on for all its instances: every function waits for every
  # grant its runtime needs at start (the invoker grants on each service come after it).
  depends_on = [
    google_project_iam_member.gcs_agent_publishes,
    google_project_iam_member.trigger_receives_events,
    google_project_iam_member.submit_firestore,
    google_project_iam_member.submit_vertex,
    google_project_iam_member.poll_firestore,
    google_project_iam_member.poll_vertex,
    google_project_iam_member.poll_slices_firestore,
    google_project_iam_member.poll_slices_vertex,
    google_project_iam_member.publish_firestore,
    google_project_iam_member.publish_vertex,
  ]
}

# The functions used to be one resource each: these keep existing deployments in place (no
# destroy and re-create) when they move into the map.
moved {
  from = google_cloudfunctions2_function.submit
  to   = google_cloudfunctions2_function.function["submit"]
}

moved {
  from = google_cloudfunctions2_function.poll
  to   = google_cloudfunctions2_function.function["poll"]
}

moved {
  from = google_storage_bucket_object.submit_source
  to   = google_storage_bucket_object.source["submit"]
}

moved {
  from = google_storage_bucket_object.poll_source
  to   = google_storage_bucket_object.source["poll"]
}
