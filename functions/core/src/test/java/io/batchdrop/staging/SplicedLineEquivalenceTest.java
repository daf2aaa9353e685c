package io.batchdrop.staging;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.batchdrop.validation.GeneratedLines;
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
        text.append(
            embeddings ? GeneratedLines.embedding(random) : GeneratedLines.generation(random));
        text.append(random.nextInt(8) == 0 ? "\r\n" : "\n");
      }
      ValidatorConfig config = GeneratedLines.config(embeddings);
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
        text.append(GeneratedLines.corrupt(GeneratedLines.generation(random), random)).append('\n');
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
}
