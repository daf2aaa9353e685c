package io.batchdrop.emulator.gemini;

/** What a batch does with each line, and the names it carries on the wire. */
enum BatchKind {
  GENERATE(
      "type.googleapis.com/google.ai.generativelanguage.v1beta.GenerateContentBatch",
      "type.googleapis.com/google.ai.generativelanguage.v1beta.GenerateContentBatchOutput"),
  EMBED(
      "type.googleapis.com/google.ai.generativelanguage.v1beta.EmbedContentBatch",
      "type.googleapis.com/google.ai.generativelanguage.v1beta.EmbedContentBatchOutput");

  private final String metadataType;
  private final String outputType;

  BatchKind(String metadataType, String outputType) {
    this.metadataType = metadataType;
    this.outputType = outputType;
  }

  String metadataType() {
    return metadataType;
  }

  String outputType() {
    return outputType;
  }
}
