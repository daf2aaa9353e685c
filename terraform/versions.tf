terraform {
  required_version = ">= 1.9" # validations that refer to other variables

  required_providers {
    google = {
      source  = "hashicorp/google"
      version = "~> 7.0"
    }
    # Only for google_project_service_identity (the Vertex AI service agent), which exists in
    # the beta provider alone; everything else uses the GA provider.
    google-beta = {
      source  = "hashicorp/google-beta"
      version = "~> 7.0"
    }
    archive = {
      source  = "hashicorp/archive"
      version = "~> 2.4"
    }
  }
}

provider "google" {
  project = var.project
  region  = var.region
}

provider "google-beta" {
  project = var.project
  region  = var.region
}
