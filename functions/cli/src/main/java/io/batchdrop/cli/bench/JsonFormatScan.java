package io.batchdrop.cli.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.cloud.aiplatform.v1.GenerateContentRequest;
import com.google.protobuf.util.JsonFormat;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/**
 * The obvious alternative: read each line, find {@code request} with Jackson, and parse it with
 * protobuf's JsonFormat into the real {@code GenerateContentRequest}.
 */
final class JsonFormatScan implements Contender {
  private final ObjectMapper mapper = new ObjectMapper();
  private final JsonFormat.Parser parser = JsonFormat.parser().ignoringUnknownFields();

  @Override
  public String name() {
    return "Jackson tree + protobuf JsonFormat per line";
  }

  @Override
  public long scan(InputStream in) throws IOException {
    long contents = 0;
    BufferedReader reader =
        new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 1 << 16);
    String line;
    while ((line = reader.readLine()) != null) {
      if (line.isBlank()) {
        continue;
      }
      JsonNode request = mapper.readTree(line).get("request");
      GenerateContentRequest.Builder builder = GenerateContentRequest.newBuilder();
      parser.merge(request.toString(), builder);
      contents += builder.getContentsCount();
    }
    return contents;
  }
}
