package io.batchdrop.publish;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.StreamWriteFeature;

/** The Jackson factory the output reader and the result writer use. */
final class PublishJson {

  /**
   * The longest string the reader ever materializes: the key, status, processed time, row label and
   * the response facts. Strings inside the echoed request and the response are skipped or copied as
   * bytes and never count against it; a longer one makes its line unattributable.
   */
  static final int MAX_READ_STRING = 1 << 20;

  private static final JsonFactory FACTORY =
      JsonFactory.builder()
          .disable(StreamReadFeature.AUTO_CLOSE_SOURCE)
          .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
          // Field names come from Vertex's output, which echoes user requests: never intern them.
          .disable(JsonFactory.Feature.INTERN_FIELD_NAMES)
          .streamReadConstraints(
              StreamReadConstraints.builder().maxStringLength(MAX_READ_STRING).build())
          .disable(StreamWriteFeature.AUTO_CLOSE_TARGET)
          .disable(StreamWriteFeature.FLUSH_PASSED_TO_STREAM)
          .build();

  private PublishJson() {}

  /** Thread-safe, like every Jackson factory once configured. */
  static JsonFactory factory() {
    return FACTORY;
  }
}
