package io.batchdrop.staging;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.batchdrop.validation.Backend;
import io.batchdrop.validation.LineListener;
import io.batchdrop.validation.RequestValidator;
import io.batchdrop.validation.ValidLine;
import io.batchdrop.validation.ValidatorConfig;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A line staged by splicing its bytes ({@link LineSplicer}) must parse to the same JSON as the same
 * line staged token by token ({@link StagedLineEncoder}), with the key still the first member:
 * thousands of generated lines with members in any order, whitespace between any tokens, keys
 * absent, null, escaped, first, in the middle or last, labels absent, null, empty, with members or
 * with a user's {@code batchdrop_row}, bare-object parts, duplicate members and embedding requests,
 * and the corrupted files of the validator's fuzz tests. Lines the splice leaves to the token path
 * are compared too (they are staged token by token either way). Run with {@code
 * -Dbatchdrop.fuzz.seed=N} to replay a failure.
 */
class SplicedLineEquivalenceTest {

  private static final ObjectMapper STRICT =
      new ObjectMapper()
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
  private static final ObjectMapper LENIENT =
      new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  /**
   * The most a splice adds: {@code "key":"row-N",} and {@code "labels":{"batchdrop_row":"row-N"},}.
   */
  private static final int MOST_ADDED = 100;

  private static final int FILES = 150;
  private static final int LINES_PER_FILE = 40;

  @Test
  void everySplicedLineParsesToWhatTheTokenPathWrites() throws IOException {
    long seed = Long.getLong("batchdrop.fuzz.seed", 20261201L);
    Random random = new Random(seed);
    Tally tally = new Tally();
    for (int file = 0; file < FILES; file++) {
      boolean embeddings = random.nextInt(5) == 0;
      StringBuilder text = new StringBuilder();
      if (random.nextInt(10) == 0) {
        text.append('\uFEFF');
      }
      for (int i = 0; i < LINES_PER_FILE; i++) {
        text.append(embeddings ? embeddingLine(random) : line(random));
        text.append(random.nextInt(8) == 0 ? "\r\n" : "\n");
      }
      ValidatorConfig config =
          embeddings
              ? ValidatorConfig.defaults()
                  .withBackend(Backend.GEMINI_API)
                  .withModel("gemini-embedding-001")
              : ValidatorConfig.defaults();
      byte[] bytes = text.toString().getBytes(StandardCharsets.UTF_8);
      try {
        compare(config, bytes, tally);
      } catch (AssertionError | IOException e) {
        throw new AssertionError(
            "-Dbatchdrop.fuzz.seed=" + seed + ", file " + file + ":\n" + text, e);
      }
    }
    // The comparison means something only if both kinds of line were many.
    assertThat(tally.spliced).isGreaterThan(FILES * LINES_PER_FILE / 3);
    assertThat(tally.tokenPath).isGreaterThan(FILES * LINES_PER_FILE / 20);
    assertThat(tally.keyMoved).isGreaterThan(100);
    assertThat(tally.labelsKept).isGreaterThan(100);
  }

  @Test
  void theValidatorsCorruptedFuzzFilesStageTheSameEitherWay() throws IOException {
    Random random = new Random(Long.getLong("batchdrop.fuzz.seed", 20261122L));
    Tally tally = new Tally();
    for (int file = 0; file < 80; file++) {
      StringBuilder text = new StringBuilder();
      for (int i = 0; i < LINES_PER_FILE; i++) {
        text.append(corrupt(line(random), random)).append('\n');
      }
      compare(ValidatorConfig.defaults(), text.toString().getBytes(StandardCharsets.UTF_8), tally);
    }
    assertThat(tally.spliced).isGreaterThan(100);
  }

  private static final class Tally {
    int spliced;
    int tokenPath;
    int keyMoved;
    int labelsKept;
  }

  /** Validates the file; stages every valid line both ways and compares. */
  private static void compare(ValidatorConfig config, byte[] file, Tally tally) throws IOException {
    LineSplicer splicer = new LineSplicer();
    StagedLineEncoder encoder = new StagedLineEncoder(StagingJson.factory());
    List<String> problems = new ArrayList<>();
    new RequestValidator(config)
        .validate(
            new ByteArrayInputStream(file),
            new LineListener() {
              @Override
              public void onValidLine(ValidLine line) throws IOException {
                ByteArrayOutputStream tokens = new ByteArrayOutputStream();
                encoder.encode(line, tokens);
                int size = splicer.plan(line);
                if (size < 0) {
                  tally.tokenPath++;
                  return;
                }
                ByteArrayOutputStream spliced = new ByteArrayOutputStream();
                splicer.writeTo(spliced);
                tally.spliced++;
                String in =
                    new String(line.buffer(), line.offset(), line.length(), StandardCharsets.UTF_8);
                String out = spliced.toString(StandardCharsets.UTF_8);
                if (line.layout().keyName() >= 0 && !line.layout().keyInPlace()) {
                  tally.keyMoved++;
                }
                if (line.layout().labelsOpen() >= 0) {
                  tally.labelsKept++;
                }
                String problem = check(line, in, out, tokens, size);
                if (problem != null) {
                  problems.add("row " + line.row() + ": " + problem + "\n in:  " + in);
                }
              }
            });
    assertThat(problems).isEmpty();
  }

  private static String check(
      ValidLine line, String in, String out, ByteArrayOutputStream tokens, int size)
      throws IOException {
    byte[] bytes = out.getBytes(StandardCharsets.UTF_8);
    if (bytes.length != size) {
      return "planned " + size + " bytes, wrote " + bytes.length;
    }
    if (!out.endsWith("\n") || out.indexOf('\n') != out.length() - 1 || out.contains("\r\n")) {
      return "expected one line ending in LF alone: " + out;
    }
    if (size > line.length() + MOST_ADDED) {
      return "grew by " + (size - line.length()) + " bytes: " + out;
    }
    String staged = tokens.toString(StandardCharsets.UTF_8);
    JsonNode expected = LENIENT.readTree(staged);
    JsonNode actual;
    try {
      actual = (line.layout() != null && hasDuplicates(in) ? LENIENT : STRICT).readTree(out);
    } catch (IOException e) {
      return "not one JSON value without duplicate names: " + e.getMessage() + "\n out: " + out;
    }
    if (!actual.equals(expected)) {
      return "parses differently\n out: " + out + " token path: " + staged;
    }
    if (!actual.fieldNames().next().equals("key")) {
      return "the key is not first: " + out;
    }
    String label = actual.at("/request/labels/batchdrop_row").asText();
    if (!label.equals("row-" + line.row()) || label.length() > 63) {
      return "row label " + label;
    }
    return null;
  }

  /** Whether the input itself repeats a name somewhere (then both outputs do too). */
  private static boolean hasDuplicates(String in) {
    try {
      STRICT.readTree(in);
      return false;
    } catch (IOException e) {
      return true;
    }
  }

  // ---- generated lines
  // ---------------------------------------------------------------------------

  private static final String[] TEXTS = {
    "hi",
    "café \\u00e9 \\\"quoted\\\" \\\\ back",
    "😀 \\ud83d\\ude00 emoji",
    "请用三句话介绍长城。",
    "a\\/b\\n\\t"
  };

  private static String line(Random r) {
    List<String> members = new ArrayList<>();
    members.add(q("'request':") + ws(r) + request(r));
    if (r.nextInt(10) == 0) {
      members.add(q("'request':") + request(r)); // a second request: token path
    }
    switch (r.nextInt(8)) {
      case 0, 1 -> {} // no key
      case 2 -> members.add(q("'key':null"));
      case 3 -> members.add(q("'key'") + ws(r) + ":" + ws(r) + q("'doc-\\u0031\\\"x'"));
      case 4 -> {
        members.add(q("'key':'a'"));
        members.add(q("'key':'b'")); // two keys: token path
      }
      default -> members.add(q("'key':") + ws(r) + q("'doc-" + r.nextInt(1000) + "'"));
    }
    if (r.nextInt(3) == 0) {
      members.add(q("'custom':{'n':[1,2.50,-0,1e3],'t':true,'z':null,'s':'" + text(r) + "'}"));
    }
    if (r.nextInt(6) == 0) {
      members.add(q("'extra':'x'"));
    }
    shuffle(members, r);
    return ws(r) + object(members, r) + ws(r);
  }

  private static String request(Random r) {
    List<String> members = new ArrayList<>();
    List<String> contents = new ArrayList<>();
    int n = 1 + r.nextInt(3);
    for (int i = 0; i < n; i++) {
      contents.add(content(r, i % 2 == 0 ? "user" : "model"));
    }
    members.add(q("'contents':") + ws(r) + array(contents, r));
    if (r.nextInt(3) == 0) {
      members.add(
          q(r.nextBoolean() ? "'systemInstruction':" : "'system_instruction':")
              + ws(r)
              + content(r, null));
    }
    if (r.nextInt(2) == 0) {
      members.add(q("'generationConfig':{'temperature':0.10,'maxOutputTokens':256,'topK':1e1}"));
    }
    switch (r.nextInt(9)) {
      case 0, 1, 2 -> {} // no labels
      case 3 -> members.add(q("'labels':{}"));
      case 4 -> members.add(q("'labels':null"));
      case 5 -> members.add(q("'labels':{'batchdrop_row':'mine','team':'x'}"));
      case 6 -> {
        members.add(q("'labels':{'team':'a'}"));
        if (r.nextBoolean()) {
          members.add(q("'labels':{'team':'b'}"));
        }
      }
      default ->
          members.add(
              q("'labels':")
                  + ws(r)
                  + "{"
                  + ws(r)
                  + q("'team'")
                  + ws(r)
                  + ":"
                  + q("'search'")
                  + ws(r)
                  + "}");
    }
    if (r.nextInt(12) == 0) {
      // Not a field of a generation request (a warning), but staging wraps its bare parts.
      members.add(q("'content':{'parts':{'text':'x'}}"));
    }
    if (r.nextInt(5) == 0) {
      members.add(
          q("'tools':[{'functionDeclarations':[{'name':'f','parameters':{'type':'OBJECT'}}]}]"));
    }
    shuffle(members, r);
    return object(members, r);
  }

  private static String content(Random r, String role) {
    List<String> members = new ArrayList<>();
    if (role != null) {
      members.add(q("'role':'" + role + "'"));
    }
    String part = q("{'text':") + ws(r) + q("'" + text(r) + "'}");
    if (r.nextInt(10) == 0) {
      members.add(q("'parts':") + part); // a bare-object parts: token path
    } else {
      List<String> parts = new ArrayList<>();
      parts.add(part);
      if (r.nextInt(3) == 0) {
        parts.add(q("{'fileData':{'fileUri':'gs://media-in/a.png','mimeType':'image/png'}}"));
      }
      members.add(q("'parts':") + ws(r) + array(parts, r));
    }
    shuffle(members, r);
    return object(members, r);
  }

  private static String embeddingLine(Random r) {
    List<String> request = new ArrayList<>();
    String parts =
        r.nextInt(6) == 0 ? q("{'text':'" + text(r) + "'}") : q("[{'text':'" + text(r) + "'}]");
    request.add(q("'content':{'parts':") + parts + "}");
    if (r.nextBoolean()) {
      request.add(q("'taskType':'RETRIEVAL_DOCUMENT'"));
    }
    if (r.nextInt(6) == 0) {
      request.add(q("'labels':{'team':'x'}")); // an error for embeddings
    }
    shuffle(request, r);
    List<String> members = new ArrayList<>();
    members.add(q("'request':") + object(request, r));
    if (r.nextBoolean()) {
      members.add(q("'key':'e-" + r.nextInt(100) + "'"));
    }
    shuffle(members, r);
    return object(members, r);
  }

  private static String text(Random r) {
    return TEXTS[r.nextInt(TEXTS.length)];
  }

  private static String object(List<String> members, Random r) {
    StringBuilder sb = new StringBuilder("{").append(ws(r));
    for (int i = 0; i < members.size(); i++) {
      if (i > 0) {
        sb.append(ws(r)).append(',').append(ws(r));
      }
      sb.append(members.get(i));
    }
    return sb.append(ws(r)).append('}').toString();
  }

  private static String array(List<String> elements, Random r) {
    StringBuilder sb = new StringBuilder("[").append(ws(r));
    for (int i = 0; i < elements.size(); i++) {
      if (i > 0) {
        sb.append(ws(r)).append(',').append(ws(r));
      }
      sb.append(elements.get(i));
    }
    return sb.append(ws(r)).append(']').toString();
  }

  /** Mostly nothing; sometimes spaces, a tab or a CR, which JSON reads as whitespace. */
  private static String ws(Random r) {
    return switch (r.nextInt(12)) {
      case 0 -> " ";
      case 1 -> "  \t ";
      case 2 -> "\r";
      default -> "";
    };
  }

  private static <T> void shuffle(List<T> list, Random r) {
    for (int i = list.size() - 1; i > 0; i--) {
      int j = r.nextInt(i + 1);
      T t = list.get(i);
      list.set(i, list.get(j));
      list.set(j, t);
    }
  }

  /** One of the validator fuzz tests' corruptions, or none. */
  private static String corrupt(String line, Random r) {
    if (line.isEmpty() || r.nextInt(3) == 0) {
      return line;
    }
    int at = r.nextInt(line.length());
    char[] structural = {'{', '}', '[', ']', ':', ',', '"', ' ', '0', '-', 't'};
    return switch (r.nextInt(3)) {
      case 0 -> line.substring(0, at);
      case 1 ->
          line.substring(0, at) + structural[r.nextInt(structural.length)] + line.substring(at);
      default ->
          line.substring(0, at) + structural[r.nextInt(structural.length)] + line.substring(at + 1);
    };
  }

  private static String q(String singleQuoted) {
    return singleQuoted.replace('\'', '"');
  }
}
