package io.batchdrop.pricing;

import static org.assertj.core.api.Assertions.assertThat;

import io.batchdrop.validation.GeneratedLines;
import io.batchdrop.validation.LineListener;
import io.batchdrop.validation.RequestValidator;
import io.batchdrop.validation.ValidLine;
import io.batchdrop.validation.ValidatorConfig;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * What the validator gathers while it walks a line ({@code RequestCounts}: where text values start,
 * media parts, maxOutputTokens, candidateCount), with the text counted in the line's bytes ({@link
 * TokenEstimator#counted}), must be exactly what the estimate reads when it parses the line itself
 * ({@link RequestTokens#read}), or absent: thousands of generated lines (escaped text, lone and
 * paired surrogate escapes, raw emoji, numbers in several spellings, null media members, duplicate
 * requests, embedding requests) and corrupted ones. Run with {@code -Dbatchdrop.fuzz.seed=N} to
 * replay a failure.
 */
class ValidatorCountsEquivalenceTest {

  @Test
  void theValidatorsCountsAreWhatTheEstimateReadsItself() throws IOException {
    long seed = Long.getLong("batchdrop.fuzz.seed", 20261201L);
    Random random = new Random(seed);
    int[] counted = new int[1];
    List<String> problems = new ArrayList<>();
    for (int file = 0; file < 150; file++) {
      boolean embeddings = random.nextInt(5) == 0;
      boolean corrupted = random.nextInt(4) == 0;
      StringBuilder text = new StringBuilder();
      for (int i = 0; i < 40; i++) {
        String line =
            embeddings ? GeneratedLines.embedding(random) : GeneratedLines.generation(random);
        text.append(corrupted ? GeneratedLines.corrupt(line, random) : line).append('\n');
      }
      ValidatorConfig config = GeneratedLines.config(embeddings);
      new RequestValidator(config)
          .validate(
              new ByteArrayInputStream(text.toString().getBytes(StandardCharsets.UTF_8)),
              new LineListener() {
                @Override
                public void onValidLine(ValidLine line) throws IOException {
                  RequestTokens fromCounts = TokenEstimator.counted(line);
                  if (fromCounts == null) {
                    return;
                  }
                  counted[0]++;
                  RequestTokens read =
                      RequestTokens.read(line.buffer(), line.offset(), line.length());
                  if (!fromCounts.equals(read)) {
                    problems.add(
                        "seed "
                            + seed
                            + ": counted "
                            + fromCounts
                            + ", read "
                            + read
                            + " in "
                            + new String(
                                line.buffer(),
                                line.offset(),
                                line.length(),
                                StandardCharsets.UTF_8));
                  }
                }
              });
    }
    assertThat(problems).isEmpty();
    assertThat(counted[0]).isGreaterThan(2000);
  }
}
