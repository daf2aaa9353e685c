package io.batchdrop.validation;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.base.ParserBase;
import java.io.IOException;
import java.util.Arrays;
import java.util.Locale;

/**
 * Walks one line's tokens and applies the rules that hold everywhere in a line, whatever the field:
 * the importer's rules on empty objects, key names, nesting and one JSON type per key path.
 * Field-specific rules drive it through {@link #nextName}, {@link #value} and {@link #nextElement};
 * anything they do not look into goes through {@link #walk}.
 *
 * <p>It keeps a stack of names and indices and renders a path string only for a finding.
 */
final class LineCursor {

  /** Objects allowed below the object of a top-level member such as {@code request}. */
  static final int MAX_OBJECT_LEVELS_BELOW_REQUEST = 15;

  /** Open objects counting the line itself (1) and {@code request} (2). */
  private static final int MAX_OPEN_OBJECTS = MAX_OBJECT_LEVELS_BELOW_REQUEST + 2;

  /**
   * Marks a frame that stands for an array element without showing in paths (a bare parts object).
   */
  private static final String HIDDEN = new String("(hidden)");

  private final KeyPathTable types;
  private final LineFindings findings;

  private JsonParser parser;
  private ParserBase base;
  private JsonToken token;
  private long line;

  /** Parser offset of the line's first byte: the parser may have started lines before it. */
  private long lineOffset;

  /** Parser offset where the line's content ends; a token starting there is on a later line. */
  private long lineLimit;

  private String[] frameName = new String[64];
  private int[] frameIndex = new int[64];
  private int[] frameNode = new int[64];
  private int frames;

  private int[] memberCount = new int[32];
  private int[] objectColumn = new int[32];
  private boolean[] emptyAllowed = new boolean[32];

  /** Per open object, its stamp when its member names are checked for repeats; 0 when not. */
  private int[] objectStamp = new int[32];

  /** Per open object whose names are checked, a name that may repeat in it; null for none. */
  private String[] repeatableName = new String[32];

  private int openObjects;

  /**
   * Per key-path node, the stamp of the last name-checked object that had it as a member: a node
   * stands for one name under one parent path, so a node met twice under one stamp is a name given
   * twice in that object. One int per node, bounded with the key-path table; made on the first
   * object checked, so lines without one allocate nothing.
   */
  private int[] memberStamp;

  private int lastStamp;

  private boolean nestingReported;
  private boolean trackingStopReported;

  /** Node and column of the line's last type-mismatch, for {@link #reportWrongType}; -1 none. */
  private int mismatchNode = -1;

  private int mismatchColumn;

  LineCursor(KeyPathTable types, LineFindings findings) {
    this.types = types;
    this.findings = findings;
  }

  /** Starts a line that the parser reads alone, from its offset 0 to its end. */
  void reset(JsonParser p, long lineNumber) {
    reset(p, lineNumber, 0, Long.MAX_VALUE);
  }

  /**
   * Starts a line that is {@code parser[lineOffset, lineLimit)} of a parser reading several lines;
   * a token starting at or after {@code lineLimit} throws {@link LineOverrun} before anything is
   * recorded of it.
   */
  void reset(JsonParser p, long lineNumber, long lineOffset, long lineLimit) {
    parser = p;
    base = p instanceof ParserBase b ? b : null;
    this.lineOffset = lineOffset;
    this.lineLimit = lineLimit;
    token = null;
    line = lineNumber;
    frames = 0;
    openObjects = 0;
    nestingReported = false;
    mismatchNode = -1;
  }

  JsonParser parser() {
    return parser;
  }

  /** The parser offset just past the current token's first byte (for a closing brace, its end). */
  long tokenEnd() {
    return base != null ? base.getTokenCharacterOffset() : parser.currentLocation().getByteOffset();
  }

  JsonToken token() {
    return token;
  }

  long line() {
    return line;
  }

  /** Reads the first token of the line. */
  JsonToken first() throws IOException {
    token = advance();
    return token;
  }

  /**
   * The next token, checked to start within the line before anything of it is recorded: with a
   * parser reading several lines, a value unfinished at its line's end would otherwise go on with
   * the next line's tokens. Jackson updates the location for closing brackets too.
   */
  private JsonToken advance() throws IOException {
    JsonToken t = parser.nextToken();
    // Jackson's token offset is one past the token's first byte.
    if (base != null && base.getTokenCharacterOffset() > lineLimit) {
      throw LineOverrun.INSTANCE;
    }
    return t;
  }

  /** Whether the key-path-tracking-stopped finding was given; see {@link #restoreTrackingStop}. */
  boolean trackingStopReported() {
    return trackingStopReported;
  }

  /** Undoes a line's {@link #trackingStopReported()} when the line is checked again. */
  void restoreTrackingStop(boolean reported) {
    trackingStopReported = reported;
  }

  /**
   * 1-based byte column of the current token within the line. Taken from the byte offset, which
   * unlike Jackson's column does not restart after a stray CR inside the line.
   */
  int column() {
    long offset =
        base != null && parser.currentToken() != JsonToken.FIELD_NAME
            // What currentTokenLocation() reports for such a token, without allocating a location
            // at every object and array of every line.
            ? base.getTokenCharacterOffset() - 1
            : parser.currentTokenLocation().getByteOffset();
    if (offset < 0) {
      return 0;
    }
    return (int) Math.min(Integer.MAX_VALUE, offset - lineOffset + 1);
  }

  /** 0-based byte offset of the current token within the line; -1 when unknown. */
  int offset() {
    return column() - 1;
  }

  /** The current string token equals {@code s}, compared without creating a String. */
  boolean textEquals(String s) throws IOException {
    int len = parser.getTextLength();
    if (len != s.length()) {
      return false;
    }
    char[] chars = parser.getTextCharacters();
    int off = parser.getTextOffset();
    for (int i = 0; i < len; i++) {
      if (chars[off + i] != s.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  String text() throws IOException {
    return parser.getText();
  }

  // ---- objects ---------------------------------------------------------------------------------

  /** Enters the object at the current START_OBJECT token. */
  void beginObject(boolean mayBeEmpty) {
    if (openObjects == memberCount.length) {
      memberCount = Arrays.copyOf(memberCount, openObjects * 2);
      objectColumn = Arrays.copyOf(objectColumn, openObjects * 2);
      emptyAllowed = Arrays.copyOf(emptyAllowed, openObjects * 2);
      objectStamp = Arrays.copyOf(objectStamp, openObjects * 2);
      repeatableName = Arrays.copyOf(repeatableName, openObjects * 2);
    }
    memberCount[openObjects] = 0;
    objectStamp[openObjects] = 0;
    objectColumn[openObjects] = column();
    emptyAllowed[openObjects] = mayBeEmpty;
    openObjects++;
    if (openObjects > MAX_OPEN_OBJECTS && !nestingReported) {
      nestingReported = true;
      error(
          Rule.NESTING_TOO_DEEP,
          column(),
          path()
              + " is an object nested "
              + (openObjects - 2)
              + " levels below "
              + topMember()
              + "; the Vertex importer accepts at most "
              + MAX_OBJECT_LEVELS_BELOW_REQUEST
              + " (arrays do not count)");
    }
  }

  /**
   * Checks every member name of the object just begun for repeats, as written: for a map (labels, a
   * schema's properties) or a JSON-schema object, where no rule knows the names and each key is its
   * own (no second spelling). A repeat is {@link Rule#DUPLICATE_FIELD} at the second name:
   * protobuf's JSON parser refuses a map key or a field given twice. A name past the key-path
   * table's capacity has no node and is not checked.
   */
  void checkMemberNames() {
    checkMemberNames(null);
  }

  /**
   * {@link #checkMemberNames()}, but {@code repeatable} may be given more than once: a name staging
   * drops however often it comes, so no parser sees it repeated.
   */
  void checkMemberNames(String repeatable) {
    repeatableName[openObjects - 1] = repeatable;
    if (memberStamp == null) {
      memberStamp = new int[types.capacity()];
    }
    if (lastStamp == Integer.MAX_VALUE) {
      Arrays.fill(memberStamp, 0);
      lastStamp = 0;
    }
    objectStamp[openObjects - 1] = ++lastStamp;
  }

  /** Column of the innermost open object's opening brace. */
  int objectColumn() {
    return objectColumn[openObjects - 1];
  }

  /**
   * Moves to the next member of the current object and returns its name, with the path extended; at
   * the end of the object returns null (and leaves the object). Call {@link #endMember} after each
   * member.
   *
   * @param schema true inside a response or function schema, where keys must be column names
   */
  String nextName(boolean schema) throws IOException {
    token = advance();
    if (token != JsonToken.FIELD_NAME) {
      endObject();
      return null;
    }
    String name = parser.currentName();
    memberCount[openObjects - 1]++;
    int node = types.child(currentNode(), name);
    if (node == KeyPathTable.UNTRACKED && types.full() && !trackingStopReported) {
      trackingStopReported = true;
      push(name, 0, node);
      findings.add(
          Rule.KEY_PATH_TRACKING_STOPPED,
          column(),
          path(),
          String.format(
              Locale.ROOT,
              "the file has more distinct field paths than are tracked (%,d paths or %,d MiB of"
                  + " field names); from here on, fields first seen at this point or later are not"
                  + " checked for one JSON type across lines",
              types.capacity(),
              types.maxNameBytes() >> 20));
      frames--;
    }
    int flags = node >= 0 ? types.keyFlags(node) : KeyNames.flags(name);
    push(name, 0, node);
    if (flags != 0) {
      checkKey(name, flags, schema);
    }
    int stamp = objectStamp[openObjects - 1];
    if (stamp != 0 && node > KeyPathTable.ROOT && !name.equals(repeatableName[openObjects - 1])) {
      if (memberStamp[node] == stamp) {
        duplicateName(name, false);
      }
      memberStamp[node] = stamp;
    }
    return name;
  }

  /**
   * Marks the current member, its name just read, as the known field {@code bit} of the innermost
   * object, whose known fields so far are {@code seen}; returns the fields with it. A field given
   * before in the object is {@link Rule#DUPLICATE_FIELD} at this name: proto JSON parsers refuse
   * such a line or keep one of the values, so it does not mean what was written. A bit per field
   * (both spellings share it) and a mask per open object, kept by the object's rule, cost one AND
   * and one OR per known member, where a set of names would hash each.
   */
  long knownField(long seen, long bit) {
    if ((seen & bit) != 0) {
      duplicateName(frameName[frames - 1], true);
    }
    return seen | bit;
  }

  /**
   * @param field true for a known field of a message, which may have a second spelling; false for a
   *     name checked as written (a map key, a JSON-schema key)
   */
  private void duplicateName(String name, boolean field) {
    String other = field ? otherSpelling(name) : name;
    findings.add(
        Rule.DUPLICATE_FIELD,
        column(),
        path(),
        path()
            + " is given twice in one object (the object opening at column "
            + objectColumn()
            + " has it earlier"
            + (other.equals(name)
                ? ""
                : ", as " + JsonPaths.quote(name) + " or " + JsonPaths.quote(other))
            + "); expected each "
            + (field ? "field" : "key")
            + " once: the backend refuses such a line or keeps only one of the values");
  }

  /** A known field's name in the other proto JSON spelling: topP for top_p and back; role as is. */
  private static String otherSpelling(String name) {
    StringBuilder sb = new StringBuilder(name.length() + 4);
    boolean snake = name.indexOf('_') >= 0;
    for (int i = 0; i < name.length(); i++) {
      char ch = name.charAt(i);
      if (snake && ch == '_' && i + 1 < name.length()) {
        sb.append(Character.toUpperCase(name.charAt(++i)));
      } else if (!snake && Character.isUpperCase(ch)) {
        sb.append('_').append(Character.toLowerCase(ch));
      } else {
        sb.append(ch);
      }
    }
    return sb.toString();
  }

  private void checkKey(String name, int flags, boolean schema) {
    if ((flags & KeyNames.DOLLAR) != 0) {
      error(
          Rule.DOLLAR_KEY,
          column(),
          "key "
              + JsonPaths.quote(name)
              + " at "
              + path()
              + " starts with \"$\"; the Vertex importer fails the whole job on such keys: rename or inline it");
    } else if ((flags & KeyNames.WHITESPACE) != 0) {
      error(
          Rule.KEY_WITH_SPACE,
          column(),
          "key "
              + JsonPaths.quote(name)
              + " at "
              + path()
              + " contains whitespace; the Vertex importer fails the whole job on such keys: use letters, digits and _");
    } else if (schema && (flags & KeyNames.NOT_COLUMN_NAME) != 0) {
      error(
          Rule.SCHEMA_KEY_INVALID,
          column(),
          "schema key "
              + JsonPaths.quote(name)
              + " at "
              + path()
              + " has characters other than A-Z, a-z, 0-9 and _; expected a name the Vertex importer accepts");
    }
  }

  /**
   * Takes back the {@code dollar-key} or {@code key-with-space} finding {@link #nextName} gave the
   * current member's name (the cursor still on it): a rule of its object has reported the name with
   * what it expects, which says more.
   */
  void withdrawKeyFinding(String name) {
    int flags = KeyNames.flags(name);
    if ((flags & KeyNames.DOLLAR) != 0) {
      findings.withdraw(Rule.DOLLAR_KEY, column());
    } else if ((flags & KeyNames.WHITESPACE) != 0) {
      findings.withdraw(Rule.KEY_WITH_SPACE, column());
    }
  }

  private void endObject() {
    openObjects--;
    if (memberCount[openObjects] == 0 && !emptyAllowed[openObjects]) {
      error(
          Rule.EMPTY_OBJECT,
          objectColumn[openObjects],
          path()
              + " is an empty object {}; the Vertex importer fails the whole job on empty objects: "
              + "remove it or give it a member");
    }
  }

  /** Advances to the current member's value and records its JSON type. */
  JsonToken value() throws IOException {
    token = advance();
    record(token);
    return token;
  }

  /** Advances to the current member's value without recording its type; see {@link #recordAs}. */
  JsonToken valueUnrecorded() throws IOException {
    token = advance();
    return token;
  }

  void endMember() {
    frames--;
  }

  // ---- arrays ----------------------------------------------------------------------------------

  /**
   * Moves to element {@code index} of the current array and records its type; false at the end of
   * the array. Call {@link #endElement} after each element.
   */
  boolean nextElement(int index) throws IOException {
    token = advance();
    if (token == JsonToken.END_ARRAY) {
      return false;
    }
    push(null, index, types.child(currentNode(), KeyPathTable.ELEMENT));
    record(token);
    return true;
  }

  void endElement() {
    frames--;
  }

  /** Treats the current value as the only element of an array that is not written out. */
  void enterHiddenElement() {
    push(HIDDEN, 0, types.child(currentNode(), KeyPathTable.ELEMENT));
    record(token);
  }

  void exitHiddenElement() {
    frames--;
  }

  // ---- anything else ---------------------------------------------------------------------------

  /** What {@link #objectValue} found. */
  enum ObjectValue {
    ABSENT,
    WRONG_TYPE,
    OBJECT
  }

  /**
   * Reads a member's value that must be an object: ABSENT for null (the same as a missing member),
   * WRONG_TYPE after reporting a {@code field-type} finding and skipping the value, or OBJECT
   * positioned on its start.
   *
   * @param expected what the message says was expected, e.g. "an object such as {...}"
   */
  ObjectValue objectValue(String expected) throws IOException {
    JsonToken t = value();
    if (t == JsonToken.VALUE_NULL) {
      return ObjectValue.ABSENT;
    }
    if (t != JsonToken.START_OBJECT) {
      reportWrongType(
          Rule.FIELD_TYPE, path() + " is " + JsonType.describe(t) + "; expected " + expected);
      return ObjectValue.WRONG_TYPE;
    }
    return ObjectValue.OBJECT;
  }

  /**
   * Moves to a member's value and checks it with the line-wide rules only: a member no rule of its
   * object looks into.
   */
  void skipValue() throws IOException {
    value();
    walk(false);
  }

  /**
   * Reports the current member as {@link Rule#UNKNOWN_FIELD} ("PATH is not a field of {@code
   * object}; expected {@code expected}") at its name, and checks its value with the line-wide rules
   * only.
   */
  void unknownField(String object, String expected) throws IOException {
    // Reported before the value is read: the column is then the name's opening quote.
    report(Rule.UNKNOWN_FIELD, path() + " is not a field of " + object + "; expected " + expected);
    value();
    walk(false);
  }

  /**
   * Reports the current value as {@link Rule#FIELD_TYPE} ("PATH is TYPE; expected {@code
   * expected}") and checks it with the line-wide rules only.
   */
  void wrongType(JsonToken type, String expected) throws IOException {
    reportWrongType(
        Rule.FIELD_TYPE, path() + " is " + JsonType.describe(type) + "; expected " + expected);
  }

  /**
   * Reports that the current value, just recorded, is not of the JSON type its field takes, and
   * skips it with the line-wide rules only. That is one mistake with one finding: the type-mismatch
   * its recording may have reported is taken back (this finding says more: what the field takes),
   * and so is the type it may have given the path on this line, so that a right value later on the
   * line does not clash with it; an empty object given for it is not also {@code empty-object}.
   * Nothing is lost: the finding is an error, so the line is invalid and is not submitted.
   */
  void reportWrongType(Rule rule, String message) throws IOException {
    int node = currentNode();
    int column = column();
    if (node == mismatchNode && column == mismatchColumn) {
      findings.withdraw(Rule.TYPE_MISMATCH, column);
      mismatchNode = -1;
    } else if (node > KeyPathTable.ROOT) {
      JsonType type = JsonType.of(token);
      if (type != null) {
        types.forget(node, type);
      }
    }
    findings.add(rule, column, path(), message);
    if (token == JsonToken.START_OBJECT) {
      beginObject(true);
      walkMembers(false, false);
    } else {
      walk(false);
    }
  }

  /**
   * Checks the current value and everything inside it with the line-wide rules only; in a schema (a
   * JSON value there), every object's keys once each too.
   */
  void walk(boolean schema) throws IOException {
    walk(schema, schema);
  }

  /**
   * {@link #walk walk(true)} for a schema member protobuf skips (one its Schema message does not
   * have): keys repeated inside it reach no parser, so they are not checked.
   */
  void walkSkippedSchemaMember() throws IOException {
    walk(true, false);
  }

  private void walk(boolean schema, boolean names) throws IOException {
    if (token == JsonToken.START_OBJECT) {
      beginObject(false);
      if (names) {
        checkMemberNames();
      }
      walkMembers(schema, names);
    } else if (token == JsonToken.START_ARRAY) {
      for (int i = 0; nextElement(i); i++) {
        walk(schema, names);
        endElement();
      }
    }
  }

  /** Checks the members of the object just begun, and leaves it. */
  private void walkMembers(boolean schema, boolean names) throws IOException {
    while (nextName(schema) != null) {
      value();
      walk(schema, names);
      endMember();
    }
  }

  // ---- types -----------------------------------------------------------------------------------

  private void record(JsonToken t) {
    JsonType type = JsonType.of(t);
    if (type != null) {
      recordAs(type);
    }
  }

  /**
   * Records that the current key path holds {@code type}, reporting a clash with earlier values.
   */
  void recordAs(JsonType type) {
    int node = currentNode();
    if (node <= KeyPathTable.ROOT) {
      return;
    }
    JsonType earlier = types.record(node, type, line);
    if (earlier != null) {
      long earlierLine = types.lineOf(node);
      String where = earlierLine == line ? "elsewhere on this line" : "on line " + earlierLine;
      mismatchNode = node;
      mismatchColumn = column();
      error(
          Rule.TYPE_MISMATCH,
          mismatchColumn,
          path()
              + " is "
              + type.description()
              + ", but "
              + types.render(node)
              + " is "
              + earlier.description()
              + " "
              + where
              + "; expected "
              + earlier.description()
              + ": the Vertex importer needs one JSON type per field across the file");
    }
  }

  // ---- paths and findings ----------------------------------------------------------------------

  private int currentNode() {
    return frames == 0 ? KeyPathTable.ROOT : frameNode[frames - 1];
  }

  private void push(String name, int index, int node) {
    if (frames == frameName.length) {
      frameName = Arrays.copyOf(frameName, frames * 2);
      frameIndex = Arrays.copyOf(frameIndex, frames * 2);
      frameNode = Arrays.copyOf(frameNode, frames * 2);
    }
    frameName[frames] = name;
    frameIndex[frames] = index;
    frameNode[frames] = node;
    frames++;
  }

  /**
   * The current path, e.g. {@code request.contents[0].parts[1].fileData}; "" at the top of the
   * line. Each key and the whole are cut to a bounded length (see {@link Excerpt}).
   */
  String path() {
    StringBuilder sb = new StringBuilder(64);
    for (int i = 0; i < frames; i++) {
      String name = frameName[i];
      if (name == null) {
        sb.append('[').append(frameIndex[i]).append(']');
      } else if (name != HIDDEN) {
        JsonPaths.appendKey(sb, name);
      }
    }
    return JsonPaths.bounded(sb);
  }

  private String topMember() {
    return frames > 0 && frameName[0] != null ? Excerpt.of(frameName[0]) : "the line";
  }

  /** The current path for a message: "the line" when empty. */
  String subject() {
    String p = path();
    return p.isEmpty() ? "the line" : p;
  }

  void error(Rule rule, int column, String message) {
    findings.add(rule, column, path(), message);
  }

  /** A finding at the current token and path. */
  void report(Rule rule, String message) {
    findings.add(rule, column(), path(), message);
  }

  /** A finding at the given column and the current path. */
  void report(Rule rule, int column, String message) {
    findings.add(rule, column, path(), message);
  }
}
