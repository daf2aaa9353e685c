package io.batchdrop.validation;

/** Whether a file goes on to be submitted, with a plain-language reason. */
public record Verdict(boolean accepted, String reason) {}
