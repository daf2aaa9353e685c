package io.batchdrop.emulator.vertex;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.google.cloud.WriteChannel;
import com.google.cloud.storage.BlobInfo;
import com.google.cloud.storage.Storage;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code predictions*.jsonl} files of one job's output directory, written as streams. With one
 * file it is {@code predictions.jsonl}; with more, rows go round-robin to {@code
 * predictions_0001.jsonl}, {@code predictions_0002.jsonl}...
 */
final class PredictionFiles implements AutoCloseable {

  /** Keeps the upload buffer of each open file small; rows are streamed, not collected. */
  private static final int CHUNK_SIZE = 1024 * 1024;

  private final List<Writer> writers = new ArrayList<>();
  private long rows;

  private final ObjectWriter json;

  PredictionFiles(Storage storage, ObjectMapper mapper, GcsUri directory, int files) {
    // A row is streamed into the file: a generated huge answer is never a string in memory.
    this.json =
        mapper
            .writer()
            .without(JsonGenerator.Feature.AUTO_CLOSE_TARGET)
            .without(SerializationFeature.FLUSH_AFTER_WRITE_VALUE);
    for (int i = 1; i <= files; i++) {
      String name = files == 1 ? "predictions.jsonl" : String.format("predictions_%04d.jsonl", i);
      GcsUri file = directory.child(name);
      WriteChannel channel =
          storage.writer(
              BlobInfo.newBuilder(file.bucket(), file.object())
                  .setContentType("application/jsonl")
                  .build());
      channel.setChunkSize(CHUNK_SIZE);
      writers.add(
          new BufferedWriter(
              new OutputStreamWriter(Channels.newOutputStream(channel), StandardCharsets.UTF_8)));
    }
  }

  void write(JsonNode row) {
    Writer writer = writers.get((int) (rows++ % writers.size()));
    try {
      json.writeValue(writer, row);
      writer.write('\n');
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() throws IOException {
    IOException first = null;
    for (Writer writer : writers) {
      try {
        writer.close();
      } catch (IOException e) {
        if (first == null) {
          first = e;
        }
      }
    }
    if (first != null) {
      throw first;
    }
  }
}
