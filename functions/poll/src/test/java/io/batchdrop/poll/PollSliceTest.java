package io.batchdrop.poll;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.batchdrop.cloud.run.JobId;
import io.batchdrop.cloud.run.RunId;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The slice message and the partition of a tick (no cloud: pure logic). */
class PollSliceTest {
  private static final Instant TICK = Instant.parse("2026-12-01T12:00:00Z");

  @Test
  void everyIdFallsInExactlyOneSliceWhateverTheCount() {
    List<String> ids = new ArrayList<>();
    Random random = new Random(14);
    for (int i = 0; i < 2000; i++) {
      RunId run = RunId.of("inbox", "file-" + random.nextInt(), i);
      ids.add(new JobId(run, 1 + random.nextInt(20), 1 + random.nextInt(3)).value());
    }
    // Ids that are not job ids at all still land somewhere exactly once.
    ids.addAll(
        List.of("", "0", "0000", "ffff", "ffffffff-s1-a1", "zzz", "A", "-", "\u00e9t\u00e9"));
    for (int count : new int[] {1, 2, 3, 7, 16, 100, 255, PollSlice.MAX_SLICES}) {
      List<PollSlice> slices = PollSlice.partition(count, TICK);
      assertThat(slices).hasSize(count);
      for (String id : ids) {
        assertThat(slices.stream().filter(s -> s.contains(id)))
            .as("slices of %d holding %s", count, id)
            .hasSize(1);
      }
    }
  }

  @Test
  void slicesOfJobIdsAreRoughlyEvenAndKeepARunsJobsTogether() {
    List<PollSlice> slices = PollSlice.partition(16, TICK);
    int[] counts = new int[16];
    for (int i = 0; i < 16_000; i++) {
      RunId run = RunId.of("inbox", "file-" + i + ".jsonl", 1);
      List<PollSlice> holding = new ArrayList<>();
      for (int shard = 1; shard <= 3; shard++) {
        String id = new JobId(run, shard, 1).value();
        slices.stream().filter(s -> s.contains(id)).forEach(holding::add);
      }
      assertThat(holding)
          .as("the slices of run %s's jobs", run)
          .hasSize(3)
          .containsOnly(holding.get(0));
      counts[holding.get(0).index()]++;
    }
    for (int count : counts) {
      assertThat(count).as("runs per slice, 1,000 expected").isBetween(850, 1150);
    }
  }

  @Test
  void aSliceReadsBackAsItWasSent() throws Exception {
    PollSlice slice = PollSlice.partition(5, TICK).get(2);

    PollSlice read = PollSlice.decode(slice.encode().getData().toByteArray());

    assertThat(read).isEqualTo(slice);
    assertThat(slice.encode().getAttributesMap()).containsEntry("slice", "3/5");
    assertThat(slice.encode().getData().size()).isLessThan(PollSlice.MAX_BYTES);
  }

  @Test
  void aSliceIsWorthHandlingOnlyDuringItsTick() {
    PollSlice slice = PollSlice.partition(2, TICK).get(0);

    assertThat(slice.staleAt(TICK.plusSeconds(59))).isFalse();
    assertThat(slice.staleAt(TICK.plus(PollSchedule.TICK))).isTrue();
    assertThat(slice.fromTheFuture(TICK.minus(Duration.ofMinutes(6)))).isTrue();
    assertThat(slice.fromTheFuture(TICK.minus(Duration.ofMinutes(1)))).isFalse();
  }

  @Test
  void aMessageOverTheLimitIsRefusedUnread() {
    byte[] huge = new byte[PollSlice.MAX_BYTES + 1];
    java.util.Arrays.fill(huge, (byte) ' ');

    assertThatThrownBy(() -> PollSlice.decode(huge))
        .isInstanceOf(PollSlice.MalformedSliceException.class)
        .hasMessageContaining("expected a slice of at most 1024");
  }

  @Test
  void emptyNonJsonAndWronglyEncodedMessagesAreRefused() {
    assertMalformed("", "not a slice JSON object");
    assertMalformed("not json", "not a slice JSON object");
    assertMalformed("[1,2]", "not a slice JSON object");
    assertThatThrownBy(() -> PollSlice.decode(new byte[] {'{', '"', (byte) 0xC3, (byte) 0x28}))
        .isInstanceOf(PollSlice.MalformedSliceException.class);
    assertMalformed("{}", "lacks asOf, from or to");
  }

  @Test
  void boundsThatAreNotShortLowercaseHexOrOutOfOrderAreRefused() {
    assertMalformed(slice("\"ABCD\"", "\"\"", 0, 1), "lowercase hex");
    assertMalformed(slice("\"\"", "\"123456789\"", 0, 1), "lowercase hex");
    assertMalformed(slice("\"../x\"", "\"\"", 0, 1), "lowercase hex");
    assertMalformed(slice("\"8000\"", "\"4000\"", 0, 1), "is not below its to");
    assertMalformed(slice("\"4000\"", "\"4000\"", 0, 1), "is not below its to");
  }

  @Test
  void aPositionOutsideItsCountOrTooManySlicesAreRefused() {
    assertMalformed(slice("\"\"", "\"\"", 2, 2), "index 2 is not below its count 2");
    assertMalformed(slice("\"\"", "\"\"", -1, 2), "a count of 1 to 256");
    assertMalformed(slice("\"\"", "\"\"", 0, 0), "a count of 1 to 256");
    assertMalformed(slice("\"\"", "\"\"", 0, 257), "a count of 1 to 256");
    assertThatThrownBy(() -> PollSlice.partition(257, TICK))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("expected 1 to 256");
  }

  @Test
  void aTimeThatIsNotAnInstantIsRefused() {
    assertMalformed(
        "{\"asOf\":\"yesterday\",\"from\":\"\",\"to\":\"\",\"index\":0,\"count\":1}",
        "asOf is not an instant");
  }

  private static String slice(String from, String to, int index, int count) {
    return "{\"asOf\":\"2026-12-01T12:00:00Z\",\"from\":"
        + from
        + ",\"to\":"
        + to
        + ",\"index\":"
        + index
        + ",\"count\":"
        + count
        + "}";
  }

  private static void assertMalformed(String json, String message) {
    assertThatThrownBy(() -> PollSlice.decode(json.getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(PollSlice.MalformedSliceException.class)
        .hasMessageContaining(message);
  }
}
