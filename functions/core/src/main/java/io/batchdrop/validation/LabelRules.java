package io.batchdrop.validation;

import static com.fasterxml.jackson.core.JsonToken.VALUE_STRING;

import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;

/**
 * {@code request.labels}: Google Cloud label rules. An empty labels object is fine here because
 * staging always adds {@code batchdrop_row} to it.
 */
final class LabelRules {

  static final String ROW_LABEL = RowKeys.ROW_LABEL;
  private static final int MAX_LABEL_CHARS = 63;

  private final LineCursor c;
  private final LayoutRecorder layout;
  private final Backend backend;

  LabelRules(LineCursor cursor, LayoutRecorder layout, Backend backend) {
    this.c = cursor;
    this.layout = layout;
    this.backend = backend;
  }

  void check() throws IOException {
    LineCursor.ObjectValue labels = c.objectValue("an object of label names to string values");
    layout.labels(labels == LineCursor.ObjectValue.OBJECT);
    if (labels != LineCursor.ObjectValue.OBJECT) {
      return;
    }
    c.beginObject(true);
    // A map: protobuf's JSON parser refuses a key given twice (Java's keeps the last value). Not
    // batchdrop_row, which staging drops however often it comes, nor on the Gemini API, whose copy
    // of the row has no labels.
    if (backend != Backend.GEMINI_API) {
      c.checkMemberNames(ROW_LABEL);
    }
    String name;
    boolean dropReported = false;
    while ((name = c.nextName(false)) != null) {
      layout.label(name);
      if (backend == Backend.GEMINI_API && !dropReported && !name.equals(ROW_LABEL)) {
        dropReported = true;
        c.report(
            Rule.FIELD_DROPPED_ON_BACKEND,
            "request.labels is set; the Gemini API has no labels: they are left out of its copy"
                + " of the row (they would refuse the batch), and the row goes on");
      }
      // The findings about the name come before its value is read: they point at the name.
      if (name.equals(ROW_LABEL)) {
        c.report(
            Rule.LABEL_OVERWRITTEN,
            c.path()
                + " is set; expected no "
                + ROW_LABEL
                + " label: Batchdrop sets it to the row number (\"row-N\") and overwrites this one");
      } else if (!isLabelKey(name)) {
        c.report(
            Rule.LABEL_INVALID,
            "label name "
                + JsonPaths.quote(name)
                + " at "
                + c.path()
                + " is not allowed; expected a lowercase letter followed by at most 62 lowercase letters, digits, _ or -");
        c.withdrawKeyFinding(name);
      }
      JsonToken value = c.value();
      if (value != VALUE_STRING) {
        c.reportWrongType(
            Rule.LABEL_INVALID,
            c.path() + " is " + JsonType.describe(value) + "; expected a string label value");
      } else if (!name.equals(ROW_LABEL) && !isLabelValue(c.text())) {
        c.report(
            Rule.LABEL_INVALID,
            c.path()
                + " is "
                + JsonPaths.quote(c.text())
                + "; expected at most 63 lowercase letters, digits, _ or -");
      }
      c.endMember();
    }
  }

  private static boolean isLabelKey(String s) {
    return !s.isEmpty() && isLowercaseLetter(s.charAt(0)) && isLabelValue(s);
  }

  private static boolean isLabelValue(String s) {
    if (s.codePointCount(0, s.length()) > MAX_LABEL_CHARS) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      char ch = s.charAt(i);
      if (!(isLowercaseLetter(ch)
          || (ch >= '0' && ch <= '9')
          || ch == '_'
          || ch == '-'
          || Character.isSurrogate(ch))) {
        return false;
      }
    }
    return true;
  }

  /** Lowercase, or a letter without case (Google allows international characters). */
  private static boolean isLowercaseLetter(char ch) {
    return Character.isLowerCase(ch)
        || (Character.isLetter(ch) && !Character.isUpperCase(ch) && !Character.isTitleCase(ch));
  }
}
