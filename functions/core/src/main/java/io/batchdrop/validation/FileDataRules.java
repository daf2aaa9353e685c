package io.batchdrop.validation;

import static com.fasterxml.jackson.core.JsonToken.VALUE_NULL;
import static com.fasterxml.jackson.core.JsonToken.VALUE_STRING;

import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The media members of a part: {@code fileData} and {@code inlineData}. What {@code fileUri} may
 * name is the backend's: Vertex reads Cloud Storage objects ({@code gs://}); the Gemini API reads
 * files uploaded through its Files API and YouTube videos, and cannot read a bucket.
 */
final class FileDataRules {

  /** What {@code File.uri} of the Files API looks like: the resource under the API's v1beta. */
  static final String FILES_API_PREFIX = "https://generativelanguage.googleapis.com/v1beta/files/";

  /** The Files API names a batch's responses file {@code files/batch-<batch id>}. */
  private static final String RESPONSES_FILE_PREFIX = FILES_API_PREFIX + "batch-";

  // A bit per known field of fileData and inlineData, for LineCursor.knownField.
  private static final long URI_OR_DATA = 1;
  private static final long MIME_TYPE = 1 << 1;
  private static final long DISPLAY_NAME = 1 << 2;

  private final LineCursor c;
  private final Set<String> allowedBuckets;
  private final Map<String, String> deniedBuckets;
  private final Backend backend;

  /** What a fileData that is not an object is told; built once, not at every fileData. */
  private final String fileDataExpected;

  FileDataRules(
      LineCursor cursor,
      Set<String> allowedBuckets,
      Map<String, String> deniedBuckets,
      Backend backend) {
    this.c = cursor;
    this.allowedBuckets = allowedBuckets;
    this.deniedBuckets = deniedBuckets;
    this.backend = backend;
    this.fileDataExpected =
        "an object such as {\"fileUri\": \"" + exampleUri() + "\", \"mimeType\": \"image/png\"}";
  }

  /** Checks the value of a part's fileData member; true when it is present (not null). */
  boolean fileData() throws IOException {
    return fileData(true);
  }

  /**
   * Checks a functionResponse part's fileData: the same URI rules, but its displayName stays in the
   * Gemini copy (only a part's own is left out), so it gets no warning.
   */
  void functionResponseFileData() throws IOException {
    fileData(false);
  }

  private boolean fileData(boolean partOwn) throws IOException {
    LineCursor.ObjectValue value = c.objectValue(fileDataExpected);
    if (value != LineCursor.ObjectValue.OBJECT) {
      return value == LineCursor.ObjectValue.WRONG_TYPE; // present, though not usable
    }
    int column = c.column();
    // Empty, it lacks a member it must have, and that finding says which: empty-object would
    // repeat it.
    c.beginObject(true);
    boolean uri = false;
    boolean mimeType = false;
    long seen = 0;
    String name;
    while ((name = c.nextName(false)) != null) {
      switch (name) {
        case "fileUri", "file_uri" -> {
          seen = c.knownField(seen, URI_OR_DATA);
          uri |= fileUri();
        }
        case "mimeType", "mime_type" -> {
          seen = c.knownField(seen, MIME_TYPE);
          mimeType |= mimeType();
        }
        case "displayName", "display_name" -> {
          seen = c.knownField(seen, DISPLAY_NAME);
          displayName(partOwn);
        }
        default -> {
          c.unknownField("fileData", "fileUri and mimeType");
        }
      }
      c.endMember();
    }
    if (!uri) {
      c.report(
          Rule.FILE_URI_MISSING, column, c.path() + " has no fileUri; expected " + expectedUri());
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

  /** Checks the value of a part's inlineData member; true when it is present (not null). */
  boolean inlineData() throws IOException {
    return inlineData(true);
  }

  /** Checks a functionResponse part's inlineData; like its fileData, its displayName stays. */
  void functionResponseInlineData() throws IOException {
    inlineData(false);
  }

  private boolean inlineData(boolean partOwn) throws IOException {
    LineCursor.ObjectValue value =
        c.objectValue("an object such as {\"mimeType\": \"image/png\", \"data\": \"<base64>\"}");
    if (value != LineCursor.ObjectValue.OBJECT) {
      return value == LineCursor.ObjectValue.WRONG_TYPE; // present, though not usable
    }
    int column = c.column();
    // Empty, it lacks a member it must have, and that finding says which: empty-object would
    // repeat it.
    c.beginObject(true);
    boolean data = false;
    boolean mimeType = false;
    long seen = 0;
    String name;
    while ((name = c.nextName(false)) != null) {
      switch (name) {
        case "data" -> {
          seen = c.knownField(seen, URI_OR_DATA);
          data |= data();
        }
        case "mimeType", "mime_type" -> {
          seen = c.knownField(seen, MIME_TYPE);
          mimeType |= mimeType();
        }
        case "displayName", "display_name" -> {
          seen = c.knownField(seen, DISPLAY_NAME);
          displayName(partOwn);
        }
        default -> {
          c.unknownField("inlineData", "data and mimeType");
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
      c.wrongType(t, "a base64 string");
    }
    return true;
  }

  private boolean mimeType() throws IOException {
    JsonToken t = c.value();
    if (t == VALUE_NULL) {
      return false;
    }
    if (t != VALUE_STRING) {
      c.wrongType(t, "a MIME type string");
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
      c.reportWrongType(
          Rule.FIELD_TYPE,
          c.path()
              + " is "
              + JsonType.describe(t)
              + "; expected "
              + expectedUri()
              + " as a string");
      return true;
    }
    String uri = c.text();
    if (backend == Backend.GEMINI_API) {
      geminiUri(uri);
      return true;
    }
    String bucket = bucketOf(uri);
    if (bucket == null) {
      c.report(
          Rule.FILE_URI_INVALID,
          c.path() + " is " + JsonPaths.quote(uri) + "; expected " + uriProblem(uri));
    } else if (deniedBuckets.containsKey(bucket)) {
      c.report(
          Rule.FILE_BUCKET_NOT_ALLOWED,
          c.path()
              + " points into bucket "
              + JsonPaths.quote(bucket)
              + ", Batchdrop's own "
              + deniedBuckets.get(bucket)
              + "; expected a bucket of your own");
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

  /**
   * A media part's name: Vertex keeps it; the Gemini API has none, so its copy leaves out a part's
   * own ({@code partOwn}); a functionResponse part's stays as written.
   */
  private void displayName(boolean partOwn) throws IOException {
    if (partOwn && backend == Backend.GEMINI_API) {
      c.report(
          Rule.FIELD_DROPPED_ON_BACKEND,
          c.path()
              + " is set; the Gemini API has no displayName here: it is left out of its copy of"
              + " the row (it would refuse the batch), and the row goes on");
    }
    c.skipValue();
  }

  /** The Gemini API reads Files API files and YouTube videos, nothing else it could fetch. */
  private void geminiUri(String uri) {
    if (isFilesApiUri(uri) && uri.startsWith(RESPONSES_FILE_PREFIX)) {
      // Every file of the project is readable through the deployment's key, and a batch's
      // responses file is named after the batch, whose name job events carry: a row naming one
      // would have another run's answers read into its prompt.
      c.report(
          Rule.FILE_URI_INVALID,
          c.path()
              + " is "
              + JsonPaths.quote(uri)
              + ", a batch's responses file (files/batch-…, another run's answers); expected a"
              + " file you uploaded through the Files API");
      return;
    }
    if (isFilesApiUri(uri) || isYouTubeUri(uri)) {
      return;
    }
    String why =
        uri.startsWith("gs://")
            ? "; expected a Files API URI ("
                + FILES_API_PREFIX
                + "ID) or a YouTube URL: the"
                + " Gemini API cannot read Cloud Storage (upload the file through the Files API,"
                + " or run this file on the vertex backend)"
            : "; expected a Files API URI ("
                + FILES_API_PREFIX
                + "ID, the uri of an uploaded"
                + " file) or a YouTube URL such as https://www.youtube.com/watch?v=ID";
    c.report(Rule.FILE_URI_INVALID, c.path() + " is " + JsonPaths.quote(uri) + why);
  }

  /** Files API ids: 1 to 40 lowercase letters, digits and dashes. */
  static boolean isFilesApiUri(String uri) {
    int id = uri.length() - FILES_API_PREFIX.length();
    if (!uri.startsWith(FILES_API_PREFIX) || id < 1 || id > 40) {
      return false;
    }
    for (int i = FILES_API_PREFIX.length(); i < uri.length(); i++) {
      char ch = uri.charAt(i);
      if (!((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '-')) {
        return false;
      }
    }
    return true;
  }

  /** {@code https://(www.|m.)youtube.com/watch?v=ID} or {@code https://youtu.be/ID}. */
  static boolean isYouTubeUri(String uri) {
    for (String prefix :
        new String[] {
          "https://www.youtube.com/watch?v=",
          "https://youtube.com/watch?v=",
          "https://m.youtube.com/watch?v=",
          "https://youtu.be/"
        }) {
      if (uri.startsWith(prefix) && uri.length() > prefix.length()) {
        return true;
      }
    }
    return false;
  }

  private String exampleUri() {
    return backend == Backend.GEMINI_API ? FILES_API_PREFIX + "abc123" : "gs://bucket/object";
  }

  private String expectedUri() {
    return backend == Backend.GEMINI_API
        ? "a Files API URI (" + FILES_API_PREFIX + "ID) or a YouTube URL"
        : "a gs://bucket/object URI";
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
    return BucketNames.isBucketName(bucket) ? bucket : null;
  }
}
