package io.batchdrop.cli.bench;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import java.io.IOException;
import java.io.InputStream;

/** The floor: one Jackson parser over the whole file, every token read, nothing checked. */
final class RawTokenScan implements Contender {
  private final JsonFactory factory = new JsonFactory();

  @Override
  public String name() {
    return "raw Jackson token scan (checks nothing)";
  }

  @Override
  public long scan(InputStream in) throws IOException {
    long tokens = 0;
    try (JsonParser parser = factory.createParser(in)) {
      while (parser.nextToken() != null) {
        tokens++;
      }
    }
    return tokens;
  }
}
