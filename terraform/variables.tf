variable "project" {
  description = "Google Cloud project id to deploy into."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{4,28}[a-z0-9]$", var.project))
    error_message = "project must be a project id (6-30 lowercase letters, digits or hyphens), not a name or number."
  }
}

variable "region" {
  description = "Region of the functions, the Scheduler job and (by default) the buckets, Firestore and Vertex AI."
  type        = string
  default     = "us-central1"
}

variable "name_prefix" {
  description = "Prefix of every resource name (functions, service accounts, topics, buckets)."
  type        = string
  default     = "batchdrop"

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,14}$", var.name_prefix))
    error_message = "name_prefix must be 2-15 lowercase letters, digits or hyphens, starting with a letter (service account ids are limited to 30 characters)."
  }
}

# --- Buckets -------------------------------------------------------------------------------

variable "bucket_location" {
  description = "Location of the inbox and work buckets (a region such as us-central1, or a multi-region such as US). Empty means var.region. The submit trigger runs in this location."
  type        = string
  default     = ""
}

variable "inbox_bucket_name" {
  description = "Name of the inbox bucket users upload JSONL files to. Empty means <project>-<name_prefix>-inbox."
  type        = string
  default     = ""
}

variable "work_bucket_name" {
  description = "Name of the work bucket (staged shards, Vertex output, reports). Empty means <project>-<name_prefix>-work."
  type        = string
  default     = ""
}

variable "inbox_retention_days" {
  description = "Uploaded files are deleted this many days after upload."
  type        = number
  default     = 30

  validation {
    condition     = var.inbox_retention_days >= 1
    error_message = "inbox_retention_days must be at least 1."
  }
}

variable "work_retention_days" {
  description = "Staged shards, Vertex output and reports are deleted this many days after they were written: at least 4 per attempt (max_attempts) plus 1."
  type        = number
  default     = 30

  validation {
    # A shard's attempts run one after another, each a batch job that may wait 72 h in Vertex AI's
    # queue and then run 24 h, and publish reads the first attempt's staged shard (and the run's
    # invalid.jsonl) until the last attempt is published: 4 days per attempt, a day on top.
    condition     = var.work_retention_days >= 4 * var.max_attempts + 1
    error_message = "work_retention_days must be at least 4 days per attempt (max_attempts) plus 1, 13 for the default 3 attempts: each attempt may queue 72 h and run 24 h in Vertex AI, and a run's staged shards and invalid.jsonl must outlive its last attempt."
  }
}

variable "force_destroy" {
  description = "Let `terraform destroy` delete the buckets even when they still hold objects."
  type        = bool
  default     = false
}

# --- Firestore -----------------------------------------------------------------------------

variable "manage_firestore_database" {
  description = "Create the (default) Firestore database in Native mode. Set false when the project already has one (it must be in Native mode)."
  type        = bool
  default     = true
}

variable "firestore_location" {
  description = "Location of the Firestore database (e.g. us-central1, nam5). Empty means var.region. Cannot be changed later."
  type        = string
  default     = ""
}

# --- Functions -----------------------------------------------------------------------------

variable "submit_jar" {
  description = "Path of the submit function's shaded jar (built by `mvn -B package -DskipTests`)."
  type        = string
  default     = "../functions/submit/target/batchdrop-submit.jar"
}

variable "poll_jar" {
  description = "Path of the poll function's shaded jar (built by `mvn -B package -DskipTests`)."
  type        = string
  default     = "../functions/poll/target/batchdrop-poll.jar"
}

variable "publish_jar" {
  description = "Path of the publish function's shaded jar (built by `mvn -B package -DskipTests`)."
  type        = string
  default     = "../functions/publish/target/batchdrop-publish.jar"
}

variable "runtime" {
  description = "Cloud Run functions runtime of every function."
  type        = string
  default     = "java17"

  validation {
    condition     = contains(["java17", "java21"], var.runtime)
    error_message = "runtime must be java17 or java21 (the jars are Java 17 bytecode)."
  }
}

variable "submit_memory" {
  description = "Memory of the submit function. Its benchmark: a 1 GB upload peaks at 136 MB of heap under -Xmx512m."
  type        = string
  default     = "1Gi"
}

variable "submit_cpu" {
  description = "vCPUs of the submit function (JVM start and validation are CPU bound)."
  type        = string
  default     = "1"
}

variable "submit_max_instances" {
  description = "Most submit instances at once (each handles one upload)."
  type        = number
  default     = 20
}

variable "submit_min_instances" {
  description = "Submit instances kept running between uploads (0: scale to zero). 1 takes the cold start (about 2 s of JVM and client start-up, README \"Measured\") off the first upload after a quiet spell, for an instance billed while idle."
  type        = number
  default     = 0

  validation {
    condition     = var.submit_min_instances >= 0 && var.submit_min_instances <= var.submit_max_instances
    error_message = "submit_min_instances must be from 0 to submit_max_instances."
  }
}

variable "poll_memory" {
  description = "Memory of the poll function."
  type        = string
  default     = "512Mi"
}

variable "poll_cpu" {
  description = "vCPUs of the poll function."
  type        = string
  default     = "1"
}

variable "poll_slices_max_instances" {
  description = "Most poll-slices instances at once (each polls one slice of a crowded tick: about half of BATCHDROP_POLL_BATCH jobs, a few seconds)."
  type        = number
  default     = 20
}

variable "publish_memory" {
  description = "Memory of the publish function (it streams output files; rows over the in-memory limit go to payloads/)."
  type        = string
  default     = "1Gi"
}

variable "publish_cpu" {
  description = "vCPUs of the publish function."
  type        = string
  default     = "1"
}

variable "publish_max_instances" {
  description = "Most publish instances at once (each works through one job's hand-off)."
  type        = number
  default     = 10
}

variable "publish_min_instances" {
  description = "Publish instances kept running between hand-offs (0: scale to zero). 1 takes the cold start off the first finished job after a quiet spell, for an instance billed while idle."
  type        = number
  default     = 0

  validation {
    condition     = var.publish_min_instances >= 0 && var.publish_min_instances <= var.publish_max_instances
    error_message = "publish_min_instances must be from 0 to publish_max_instances."
  }
}

variable "publish_max_delivery_attempts" {
  description = "Deliveries of one hand-off to publish before Pub/Sub moves it to the dead-letter topic (poll re-sends the hand-offs of jobs publish has not finished)."
  type        = number
  default     = 10

  validation {
    condition     = var.publish_max_delivery_attempts >= 5 && var.publish_max_delivery_attempts <= 100
    error_message = "publish_max_delivery_attempts must be from 5 to 100 (Pub/Sub's dead-letter limits)."
  }
}

variable "poll_ingress" {
  description = "Ingress of the poll function. Cloud Scheduler in the same project counts as internal traffic for Cloud Run; OIDC and run.invoker guard the call either way."
  type        = string
  default     = "ALLOW_INTERNAL_ONLY"

  validation {
    condition     = contains(["ALLOW_INTERNAL_ONLY", "ALLOW_INTERNAL_AND_GCLB", "ALLOW_ALL"], var.poll_ingress)
    error_message = "poll_ingress must be ALLOW_INTERNAL_ONLY, ALLOW_INTERNAL_AND_GCLB or ALLOW_ALL."
  }
}

variable "poll_schedule" {
  description = "unix-cron schedule of the poll call (UTC)."
  type        = string
  default     = "* * * * *"
}

variable "build_service_account" {
  description = "Full resource name (projects/P/serviceAccounts/EMAIL) of the service account Cloud Build uses to build the functions. Empty means the project's default build service account. This module grants it nothing: it must already hold roles/logging.logWriter, roles/artifactregistry.writer and read access to the sources bucket (README, Deployment)."
  type        = string
  default     = ""
}

variable "java_tool_options" {
  description = "JAVA_TOOL_OPTIONS of every function. The default trades peak JIT speed for a faster cold start (the work is I/O bound) and gives the heap half the function's memory, as the benchmarks measured it (-Xmx512m at 1 GiB; the JVM's own default is a quarter)."
  type        = string
  default     = "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -XX:MaxRAMPercentage=50"
}

# --- Batchdrop configuration (README "Configuration") ---------------------------------------

variable "vertex_location" {
  description = "Vertex AI location of the batch jobs (BATCHDROP_LOCATION); `global` uses the global endpoint. Empty means var.region."
  type        = string
  default     = ""
}

variable "inbox_prefix" {
  description = "Only uploads under this prefix are processed (BATCHDROP_INBOX_PREFIX). Empty means all."
  type        = string
  default     = ""
}

variable "default_model" {
  description = "Gemini model used when a file names none (BATCHDROP_DEFAULT_MODEL)."
  type        = string
  default     = "gemini-2.5-flash"
}

variable "allowed_models" {
  description = "Models a file's batchdrop-model metadata may name (BATCHDROP_ALLOWED_MODELS). Empty means the default model only."
  type        = list(string)
  default     = []

  validation {
    condition     = length(var.allowed_models) == 0 || contains(var.allowed_models, var.default_model)
    error_message = "allowed_models must include default_model (the functions refuse to start otherwise)."
  }
}

variable "policy" {
  description = "Validation policy (BATCHDROP_POLICY): lenient sets invalid lines aside, strict rejects a file with any."
  type        = string
  default     = "lenient"

  validation {
    condition     = contains(["lenient", "strict"], var.policy)
    error_message = "policy must be lenient or strict."
  }
}

variable "max_invalid_ratio" {
  description = "Lenient policy: a file with a larger share of invalid rows is rejected (BATCHDROP_MAX_INVALID_RATIO)."
  type        = number
  default     = 0.10

  validation {
    condition     = var.max_invalid_ratio >= 0 && var.max_invalid_ratio <= 1
    error_message = "max_invalid_ratio must be between 0 and 1."
  }
}

variable "allowed_file_buckets" {
  description = "Buckets fileData.fileUri may point into (BATCHDROP_ALLOWED_FILE_BUCKETS); never the inbox or work bucket, which rows may not name whatever this says. The Vertex AI service agent gets read access to each. Empty means any other bucket, and no grant: give the agent read on those buckets yourself."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for b in var.allowed_file_buckets : can(regex("^[a-z0-9][a-z0-9._-]{1,220}[a-z0-9]$", b))])
    error_message = "allowed_file_buckets holds bucket names such as media-in (no gs://, no path, lowercase)."
  }
}

variable "max_attempts" {
  description = "Attempts per row (BATCHDROP_MAX_ATTEMPTS): publish resubmits failed rows with a retryable error and missing rows until this many; the last attempt publishes what is left."
  type        = number
  default     = 3

  validation {
    condition     = var.max_attempts >= 1 && var.max_attempts <= 10 && floor(var.max_attempts) == var.max_attempts
    error_message = "max_attempts must be a whole number from 1 to 10."
  }
}

variable "publish_budget_seconds" {
  description = "A publish call stops starting new work after this many seconds, checkpoints and re-sends its hand-off (BATCHDROP_PUBLISH_BUDGET_SECONDS). Below the 540 s timeout, with room for the last window and the checkpoint."
  type        = number
  default     = 420

  validation {
    condition     = var.publish_budget_seconds >= 60 && var.publish_budget_seconds <= 480
    error_message = "publish_budget_seconds must be from 60 to 480: at least 60 s below publish's 540 s timeout, so the last window's publishes and the checkpoint finish in time."
  }
}

variable "spill_inline_media" {
  description = "Publish writes a succeeded response's inline media (candidates[].content.parts[].inlineData, base64: image generation) to runs/{runId}/payloads/ in the work bucket and puts fileData {mimeType, fileUri: gs://...} in the part's place (BATCHDROP_SPILL_INLINE_MEDIA). Off: the media stays inline in the result message, or the whole response goes to payloads/ when the message would pass Pub/Sub's limit."
  type        = bool
  default     = false
}

variable "price_table_json" {
  description = "A JSON price table that replaces the built-in one (BATCHDROP_PRICE_TABLE). Empty means the built-in table."
  type        = string
  default     = ""

  validation {
    # Environment variables are not the place for large documents; the platform's own limit
    # per variable is not confirmed, so stay far below any plausible one.
    condition     = var.price_table_json == "" || (can(jsondecode(var.price_table_json)) && length(var.price_table_json) <= 32768)
    error_message = "price_table_json must be empty or a JSON document of at most 32768 characters."
  }
}

variable "max_run_cost_usd" {
  description = "Cost limit of one run in US dollars (BATCHDROP_MAX_RUN_COST_USD), e.g. \"25\" or \"7.50\". Empty means no limit."
  type        = string
  default     = ""

  validation {
    condition     = can(regex("^([0-9]+(\\.[0-9]+)?)?$", var.max_run_cost_usd)) && (var.max_run_cost_usd == "" || can(regex("[1-9]", var.max_run_cost_usd)))
    error_message = "max_run_cost_usd must be empty (no limit) or a positive amount such as 25 or 7.50."
  }
}

variable "backend" {
  description = "The batch backend files go to unless their object metadata batchdrop-backend says otherwise (BATCHDROP_BACKEND): vertex or gemini-api."
  type        = string
  default     = "vertex"

  validation {
    condition     = contains(["vertex", "gemini-api"], var.backend)
    error_message = "backend must be vertex or gemini-api."
  }
}

variable "allowed_backends" {
  description = "Backends a file may ask for with object metadata batchdrop-backend (BATCHDROP_ALLOWED_BACKENDS); must include backend. Empty means only backend."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for b in var.allowed_backends : contains(["vertex", "gemini-api"], b)])
    error_message = "allowed_backends may only name vertex and gemini-api."
  }

  # BatchdropConfig refuses the same at start, in every function: caught at plan instead.
  validation {
    condition     = length(var.allowed_backends) == 0 || contains(var.allowed_backends, var.backend)
    error_message = "allowed_backends must include backend (or be empty, meaning only backend)."
  }
}
