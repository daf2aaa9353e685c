package io.batchdrop.validation;

/** What a model does with a request: generate content, or embed it. */
public final class ModelKinds {
  private ModelKinds() {}

  /**
   * True for an embedding model ({@code gemini-embedding-001}, {@code gemini-embedding-2}, {@code
   * text-embedding-004}, ...), named bare or as a resource ({@code models/...}, {@code
   * publishers/google/models/...}): its rows are embedding requests, not generation requests.
   */
  public static boolean isEmbedding(String model) {
    if (model == null) {
      return false;
    }
    String id = model.substring(model.lastIndexOf('/') + 1);
    return id.contains("embedding");
  }
}
