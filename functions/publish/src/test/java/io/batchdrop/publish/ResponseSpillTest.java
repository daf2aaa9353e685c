package io.batchdrop.publish;

import static io.batchdrop.publish.Lines.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;

class ResponseSpillTest {

  private static final int MB = 1000 * 1000;

  @Test
  void aFortyMegabyteStringResponseSpillsAndNeverSitsInMemory() throws IOException {
    // One 40 MB string: the case a token-by-token copy would hold whole (and that the 1 MiB read
    // limit would reject), so reading it at all proves it was streamed.
    Generated response =
        new Generated()
            .text("{\"candidates\":[{\"content\":{\"parts\":[{\"inlineData\":{\"data\":\"")
            .repeat("QUJD", 10 * MB)
            .text("\"}}]},\"finishReason\":\"STOP\"}],\"usageMetadata\":{\"totalTokenCount\":9}}");
    MemorySpillTarget spills = new MemorySpillTarget(false);

    PredictionRow row;
    long peak;
    try (PredictionReader reader =
        new PredictionReader(line(3, response, "").stream(), 0, spills)) {
      row = reader.next();
      peak = reader.peakResponseBytesInMemory();
      assertThat(reader.next()).isNull();
    }

    assertThat(row.row()).isEqualTo(3);
    assertThat(row.response().inMemory()).isFalse();
    assertThat(row.response().length()).isEqualTo(response.length());
    MemorySpillTarget.Stored stored = spills.objects.get(row.response().spillUri());
    assertThat(stored.size).isEqualTo(response.length());
    assertThat(stored.sha256()).isEqualTo(response.sha256());
    assertThat(stored.closed).isTrue();
    assertThat(row.response().finishReason()).isEqualTo("STOP");
    assertThat(row.response().usage().total()).isEqualTo(9);
    assertThat(peak).isLessThanOrEqualTo(PredictionReader.DEFAULT_IN_MEMORY_LIMIT);
  }

  @Test
  void aFortyMegabyteResponseOfManyPartsSpillsWhatWasHeldAndTheRest() throws IOException {
    String part = "{\"text\":\"" + "lorem ipsum ".repeat(1000) + "\"},";
    Generated response =
        new Generated()
            .text("{\"candidates\":[{\"content\":{\"parts\":[")
            .repeat(part, 40 * MB / part.length())
            .text("{\"text\":\"end\"}]},\"finishReason\":\"MAX_TOKENS\"}]}");
    MemorySpillTarget spills = new MemorySpillTarget(false);
    int limit = 1024 * 1024;

    try (PredictionReader reader =
        new PredictionReader(line(8, response, "\n").stream(), 0, spills, limit)) {
      PredictionRow row = reader.next();

      MemorySpillTarget.Stored stored = spills.objects.get(row.response().spillUri());
      assertThat(stored.sha256()).isEqualTo(response.sha256());
      assertThat(row.response().finishReason()).isEqualTo("MAX_TOKENS");
      assertThat(reader.peakResponseBytesInMemory()).isLessThanOrEqualTo(limit);
    }
  }

  @Test
  void aResponseExactlyAtTheLimitStaysInMemoryAndOneByteMoreSpills() throws IOException {
    String fits = "{\"a\":\"" + "x".repeat(100 - 8) + "\"}";
    String over = "{\"a\":\"" + "x".repeat(100 - 7) + "\"}";
    assertThat(utf8(fits)).hasSize(100);
    MemorySpillTarget spills = new MemorySpillTarget();

    List<PredictionRow> rows =
        Lines.readAll(
            utf8(Lines.succeeded(1, "a", fits) + "\n" + Lines.succeeded(2, "b", over) + "\n"),
            0,
            spills,
            100);

    assertThat(rows.get(0).response().inMemory()).isTrue();
    assertThat(Lines.body(rows.get(0))).isEqualTo(fits);
    assertThat(rows.get(1).response().inMemory()).isFalse();
    assertThat(spills.text(rows.get(1).response().spillUri())).isEqualTo(over);
  }

  @Test
  void aSpillKnowsTheRowWhenTheLabelCameFirstAndOnlyTheLineOffsetOtherwise() throws IOException {
    String big = Lines.response("y".repeat(5000));
    String first = Lines.succeeded(4, "a", big);
    String second = Lines.succeededResponseFirst(5, "b", big);
    MemorySpillTarget spills = new MemorySpillTarget();

    List<PredictionRow> rows = Lines.readAll(utf8(first + "\n" + second + "\n"), 0, spills, 1024);

    assertThat(spills.opened)
        .containsExactly(
            new MemorySpillTarget.Opened(0, 4, URI.create("mem://spill/0")),
            new MemorySpillTarget.Opened(
                first.length() + 1, 0, URI.create("mem://spill/" + (first.length() + 1))));
    assertThat(rows).extracting(PredictionRow::row).containsExactly(4L, 5L);
    assertThat(spills.text(rows.get(1).response().spillUri())).isEqualTo(big);
  }

  @Test
  void aSpilledResponseOfAnUnattributableLineIsNamedInItsProblem() throws IOException {
    String big = Lines.response("z".repeat(5000));

    List<PredictionRow> rows =
        Lines.readAll(
            utf8("{\"response\":" + big + ",\"request\":{}}\n"), 0, new MemorySpillTarget(), 1024);

    assertThat(rows.get(0).problem()).contains("spilled to mem://spill/0");
  }

  @Test
  void aSpillThatFailsStopsTheReadWithItsErrorInsteadOfLosingTheRow() {
    SpillTarget broken =
        (lineOffset, row) ->
            new SpillTarget.Spill(
                URI.create("mem://broken"),
                new OutputStream() {
                  @Override
                  public void write(int b) throws IOException {
                    throw new IOException("storage unavailable");
                  }
                });
    byte[] file = utf8(Lines.succeeded(1, "a", Lines.response("w".repeat(5000))) + "\n");

    assertThatThrownBy(
            () -> new PredictionReader(new ByteArrayInputStream(file), 0, broken, 1024).next())
        .isInstanceOf(IOException.class)
        .hasMessage("storage unavailable");
  }

  @Test
  void responsesUnderTheLimitNeverTouchTheSpillTarget() throws IOException {
    MemorySpillTarget spills = new MemorySpillTarget();

    Lines.readAll(PredictionReaderTest.mixedFile(), 0, spills, 1024 * 1024);

    assertThat(spills.opened).isEmpty();
  }

  private static Generated line(long row, Generated response, String end) {
    return new Generated()
        .text("{\"status\":\"\",\"request\":" + Lines.request(row) + ",\"response\":")
        .append(response)
        .text("}" + end);
  }
}
