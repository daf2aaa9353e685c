package io.batchdrop.submit;

import java.util.Map;

/** The object a finalize event announces: one generation of one object. */
public record UploadedObject(
    String bucket,
    String name,
    long generation,
    long size,
    String md5Hash,
    String contentType,
    String contentEncoding,
    Map<String, String> metadata) {

  public String uri() {
    return "gs://" + bucket + "/" + name;
  }
}
