package io.batchdrop.emulator.storage;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The limits Cloud Storage puts on what names and describes an object, checked on every new version
 * and every metadata change so a test fails where Cloud Storage would refuse the write: a name of 1
 * to 1,024 bytes of UTF-8 without a carriage return or line feed, and custom metadata of at most 8
 * KiB (the UTF-8 bytes of every key and value together). Cloud Storage counts the name in bytes and
 * calls them characters in its answer ("400 The maximum object length is 1024 characters, but got a
 * name with 1028 characters: '…'", quoted in hashicorp/vault#18248).
 */
final class ObjectLimits {
  static final int MAX_NAME_BYTES = 1024;
  static final int MAX_CUSTOM_METADATA_BYTES = 8 * 1024;
  private static final int QUOTED_NAME_CHARS = 64;

  private ObjectLimits() {}

  /** The name, or 400 {@code invalid} when Cloud Storage would refuse it. */
  static String checkName(String name) {
    if (name == null || name.isEmpty()) {
      throw ApiException.invalid("Required parameter: name");
    }
    int bytes = name.getBytes(StandardCharsets.UTF_8).length;
    if (bytes > MAX_NAME_BYTES) {
      throw ApiException.invalid(
          "The maximum object length is "
              + MAX_NAME_BYTES
              + " characters, but got a name with "
              + bytes
              + " characters: '"
              + quoted(name)
              + "'");
    }
    if (name.indexOf('\r') >= 0 || name.indexOf('\n') >= 0) {
      throw ApiException.invalid("Invalid object name: '" + quoted(name) + "'");
    }
    return name;
  }

  /** The metadata, or 400 {@code invalid} when its keys and values pass 8 KiB together. */
  static Map<String, String> checkMetadata(Map<String, String> metadata) {
    long bytes = 0;
    for (Map.Entry<String, String> entry : metadata.entrySet()) {
      bytes += entry.getKey().getBytes(StandardCharsets.UTF_8).length;
      bytes += entry.getValue().getBytes(StandardCharsets.UTF_8).length;
    }
    if (bytes > MAX_CUSTOM_METADATA_BYTES) {
      throw ApiException.invalid(
          "The custom metadata of an object is limited to "
              + MAX_CUSTOM_METADATA_BYTES
              + " bytes, but got "
              + bytes
              + " bytes.");
    }
    return metadata;
  }

  private static String quoted(String name) {
    if (name.length() <= QUOTED_NAME_CHARS) {
      return name;
    }
    int end = QUOTED_NAME_CHARS;
    if (Character.isHighSurrogate(name.charAt(end - 1))) {
      end--;
    }
    return name.substring(0, end) + "...";
  }
}
