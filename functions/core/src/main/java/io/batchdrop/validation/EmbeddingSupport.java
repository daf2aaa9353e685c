package io.batchdrop.validation;

/** Which backends Batchdrop submits embeddings batches to: the Gemini API's only. */
final class EmbeddingSupport {
  private EmbeddingSupport() {}

  /**
   * The one finding that rejects a file of embedding requests for a backend without embeddings
   * batches in Batchdrop, or null. Vertex has a Gemini embedding batch of its own (another line
   * shape, {@code embed_content_config}, and output schema) that Batchdrop does not speak.
   */
  static Finding rejection(ValidatorConfig config) {
    if (!config.embeddings() || !Rule.EMBEDDINGS_NOT_SUPPORTED.appliesTo(config.backend())) {
      return null;
    }
    return Rule.EMBEDDINGS_NOT_SUPPORTED.at(
        0,
        0,
        "",
        "model "
            + JsonPaths.quote(config.model())
            + " is an embedding model, and Batchdrop submits embeddings batches only on the"
            + " Gemini API; expected a generation model on "
            + config.backend().id()
            + ", or this file on the "
            + Backend.GEMINI_API.id()
            + " backend (object metadata batchdrop-backend: gemini-api)");
  }
}
