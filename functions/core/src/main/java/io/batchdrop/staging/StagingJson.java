package io.batchdrop.staging;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.StreamWriteFeature;

/** The Jackson factory staging reads and writes with. */
final class StagingJson {

  private StagingJson() {}

  /**
   * Reads whatever the validator accepted (lines are bounded by its maximum line length) and writes
   * UTF-8 without escaping non-ASCII; generators never close or flush the caller's stream.
   */
  static JsonFactory factory() {
    return JsonFactory.builder()
        // Staged lines passed the validator's strict UTF-8 check: read them as exactly that.
        .disable(JsonFactory.Feature.CHARSET_DETECTION)
        .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
        .streamReadConstraints(
            StreamReadConstraints.builder().maxStringLength(Integer.MAX_VALUE).build())
        .disable(StreamWriteFeature.AUTO_CLOSE_TARGET)
        .disable(StreamWriteFeature.FLUSH_PASSED_TO_STREAM)
        // Characters beyond the BMP (emoji) come out as \uD83D\uDE00 escapes: Jackson's option to
        // write them as UTF-8 mangles a lone surrogate escape and the character after it.
        .build();
  }
}
