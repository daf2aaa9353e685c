package io.batchdrop.submit;

import io.batchdrop.pricing.TokenEstimate;
import io.batchdrop.validation.ValidationReport;
import io.batchdrop.validation.Verdict;
import java.util.List;

/** What validating and staging one upload produced. */
record StagingOutcome(
    ValidationReport report, Verdict verdict, List<StagedShard> shards, TokenEstimate estimate) {}
