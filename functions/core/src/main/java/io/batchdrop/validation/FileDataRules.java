package io.batchdrop.validation;

import static com.fasterxml.jackson.core.JsonToken.VALUE_NULL;
import static com.fasterxml.jackson.core.JsonToken.VALUE_STRING;

import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.Set;
import java.util.TreeSet;

/**
 * The media members of a part: {@code fileData} (a Cloud Storage object) and {@code inlineData}.
 */
final class FileDataRules {

  private final LineCursor c;
  private final Set<String> allowedBuckets;

  FileDataRules(LineCursor cursor, Set<String> allowedBuckets) {
    this.c = cursor;
    this.allowedBuckets = allowedBuckets;
  }

  /** Checks the value of a fileData member; true when it is present (not null). */
  boolean fileData() throws IOException {
    LineCursor.ObjectValue value =
        c.objectValue(
            "an object such as {\"fileUri\": \"gs://bucket/object\", \"mimeType\": \"image/png\"}");
    if (value != LineCursor.ObjectValue.OBJECT) {
      return value == LineCursor.ObjectValue.WRONG_TYPE; // present, though not usable
    }
    int column = c.column();
    c.beginObject(false);
    boolean uri = false;
    boolean mimeType = false;
    String name;
    while ((name = c.nextName(false)) != null) {
      switch (name) {
        case "fileUri", "file_uri" -> uri = fileUri();
        case "mimeType", "mime_type" -> mimeType = mimeType();
        case "displayName", "display_name" -> {
          c.value();
          c.walk(false);
        }
        default -> {
          c.value();
          c.report(
              Rule.UNKNOWN_FIELD,
              c.path() + " is not a field of fileData; expected fileUri and mimeType");
          c.walk(false);
        }
      }
      c.endMember();
    }
    if (!uri) {
      c.report(
          Rule.FILE_URI_MISSING,
          column,
          c.path() + " has no fileUri; expected a gs://bucket/object URI");
    }
    if (!mimeType) {
      c.report(
          Rule.MIME_TYPE_MISSING,
          column,
          c.path()
              + " has no mimeType; expected a MIME type such as "
              + "\"image/png\", \"application/pdf\" or \"video/mp4\"");
    }
    return true;
  }

  /** Checks the value of an inlineData member; true when it is present (not null). */
  boolean inlineData() throws IOException {
    LineCursor.ObjectValue value =
        c.objectValue("an object such as {\"mimeType\": \"image/png\", \"data\": \"<base64>\"}");
    if (value != LineCursor.ObjectValue.OBJECT) {
      return value == LineCursor.ObjectValue.WRONG_TYPE; // present, though not usable
    }
    int column = c.column();
    c.beginObject(false);
    boolean data = false;
    boolean mimeType = false;
    String name;
    while ((name = c.nextName(false)) != null) {
      switch (name) {
        case "data" -> data = data();
        case "mimeType", "mime_type" -> mimeType = mimeType();
        case "displayName", "display_name" -> {
          c.value();
          c.walk(false);
        }
        default -> {
          c.value();
          c.report(
              Rule.UNKNOWN_FIELD,
              c.path() + " is not a field of inlineData; expected data and mimeType");
          c.walk(false);
        }
      }
      c.endMember();
    }
    if (!data) {
      c.report(
          Rule.INLINE_DATA_MISSING,
          column,
          c.path() + " has no data; expected the bytes as a base64 string");
    }
    if (!mimeType) {
      c.report(
          Rule.MIME_TYPE_MISSING,
          column,
          c.path() + " has no mimeType; expected a MIME type such as \"image/png\"");
    }
    return true;
  }

  /**
   * True when a usable or at least reported value is present, so "missing" is not reported as well.
   */
  private boolean data() throws IOException {
    JsonToken t = c.value();
    if (t == VALUE_NULL) {
      return false;
    }
    if (t != VALUE_STRING) {
      c.report(
          Rule.FIELD_TYPE, c.path() + " is " + JsonType.describe(t) + "; expected a base64 string");
      c.walk(false);
    }
    return true;
  }

  private boolean mimeType() throws IOException {
    JsonToken t = c.value();
    if (t == VALUE_NULL) {
      return false;
    }
    if (t != VALUE_STRING) {
      c.report(
          Rule.FIELD_TYPE,
          c.path() + " is " + JsonType.describe(t) + "; expected a MIME type string");
      c.walk(false);
      return true;
    }
    if (c.textEquals("")) {
      c.report(
          Rule.MIME_TYPE_MISSING,
          c.path() + " is empty; expected a MIME type such as \"image/png\"");
    }
    return true;
  }

  private boolean fileUri() throws IOException {
    JsonToken t = c.value();
    if (t == VALUE_NULL) {
      return false;
    }
    if (t != VALUE_STRING) {
      c.report(
          Rule.FIELD_TYPE,
          c.path() + " is " + JsonType.describe(t) + "; expected a gs://bucket/object URI string");
      c.walk(false);
      return true;
    }
    String uri = c.text();
    String bucket = bucketOf(uri);
    if (bucket == null) {
      c.report(
          Rule.FILE_URI_INVALID,
          c.path() + " is " + JsonPaths.quote(uri) + "; expected " + uriProblem(uri));
    } else if (!allowedBuckets.isEmpty() && !allowedBuckets.contains(bucket)) {
      c.report(
          Rule.FILE_BUCKET_NOT_ALLOWED,
          c.path()
              + " points into bucket "
              + JsonPaths.quote(bucket)
              + "; expected one of the allowed buckets "
              + describeAllowed());
    }
    return true;
  }

  private String describeAllowed() {
    StringBuilder sb = new StringBuilder();
    int shown = 0;
    for (String b : new TreeSet<>(allowedBuckets)) {
      if (shown == 5) {
        sb.append(", ...");
        break;
      }
      sb.append(shown++ == 0 ? "" : ", ").append(b);
    }
    return sb.toString();
  }

  private static String uriProblem(String uri) {
    if (!uri.startsWith("gs://")) {
      return "a Cloud Storage URI gs://bucket/object: batch jobs read files from Cloud Storage";
    }
    int slash = uri.indexOf('/', 5);
    if (slash < 0 || slash == uri.length() - 1) {
      return "gs://bucket/object with an object name after the bucket";
    }
    return "a valid bucket name after gs:// (3 to 63 lowercase letters, digits, -, _ or ., "
        + "starting and ending with a letter or digit)";
  }

  /** The bucket of a well-formed {@code gs://bucket/object} URI, or null. */
  static String bucketOf(String uri) {
    if (!uri.startsWith("gs://")) {
      return null;
    }
    int slash = uri.indexOf('/', 5);
    if (slash < 0 || slash == uri.length() - 1) {
      return null;
    }
    String bucket = uri.substring(5, slash);
    return isBucketName(bucket) ? bucket : null;
  }

  /**
   * Cloud Storage bucket naming: 3-222 of a-z 0-9 . _ -, starting and ending with a letter or
   * digit.
   */
  private static boolean isBucketName(String b) {
    int n = b.length();
    if (n < 3 || n > 222) {
      return false;
    }
    for (int i = 0; i < n; i++) {
      char ch = b.charAt(i);
      boolean alnum = (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9');
      if (!alnum && ((i == 0 || i == n - 1) || (ch != '-' && ch != '_' && ch != '.'))) {
        return false;
      }
    }
    return true;
  }
}
