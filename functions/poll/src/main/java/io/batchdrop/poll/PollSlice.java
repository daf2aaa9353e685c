package io.batchdrop.poll;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.ByteString;
import com.google.pubsub.v1.PubsubMessage;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Pattern;

/**
 * One slice of a tick's due jobs, the message on the poll-slices topic (design §1): the jobs whose
 * document id is in {@code [from, to)} (an empty bound is open), due as of {@code asOf}, the tick
 * that cut it. Job ids start with the run id, 20 hex digits of a SHA-256 (design §2), so ranges of
 * the first hex digits split the jobs evenly over the slices and keep every run's jobs in one slice
 * (one run refresh per run and tick, never two slices writing one run document).
 *
 * <p>The slices of a tick come from {@link #partition}: sorted, disjoint and covering every string,
 * whatever the ids look like. A job polled by two slices (of two ticks) is still recorded once:
 * every write of poll is compare-and-set.
 *
 * @param asOf when the tick cut the slices; the slice is worth handling until one tick later
 * @param from the lowest document id in the slice (inclusive), or empty for the start
 * @param to the first document id past the slice, or empty for the end
 * @param index 0-based position among the tick's slices
 * @param count how many slices the tick cut
 */
record PollSlice(Instant asOf, String from, String to, int index, int count) {
  /** The most slices one tick cuts: 256 × {@code BATCHDROP_POLL_BATCH} jobs per tick. */
  static final int MAX_SLICES = 256;

  /** Hex digits of a boundary: 16^4 ranges are fine enough for {@link #MAX_SLICES}. */
  static final int BOUNDARY_DIGITS = 4;

  /** Far above any real slice (about 120 bytes): a bigger message is refused unread. */
  static final int MAX_BYTES = 1024;

  private static final Pattern BOUND = Pattern.compile("[0-9a-f]{0,8}");
  private static final Duration FUTURE_SKEW = Duration.ofMinutes(5);
  private static final ObjectMapper JSON =
      new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  /**
   * Cuts the id space into {@code count} ranges of the first {@link #BOUNDARY_DIGITS} hex digits.
   */
  static List<PollSlice> partition(int count, Instant asOf) {
    if (count < 1 || count > MAX_SLICES) {
      throw new IllegalArgumentException(
          "slice count is " + count + "; expected 1 to " + MAX_SLICES);
    }
    int space = 1 << (4 * BOUNDARY_DIGITS);
    List<PollSlice> slices = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      String from = i == 0 ? "" : boundary((int) ((long) i * space / count));
      String to = i == count - 1 ? "" : boundary((int) ((long) (i + 1) * space / count));
      slices.add(new PollSlice(asOf, from, to, i, count));
    }
    return slices;
  }

  private static String boundary(int value) {
    return HexFormat.of().toHexDigits(value).substring(8 - BOUNDARY_DIGITS);
  }

  /** Whether a document id falls in this slice. */
  boolean contains(String documentId) {
    return (from.isEmpty() || documentId.compareTo(from) >= 0)
        && (to.isEmpty() || documentId.compareTo(to) < 0);
  }

  /** {@code 3/16}: the slice's number (1-based) among its tick's, for logs. */
  String label() {
    return (index + 1) + "/" + count;
  }

  /** The tick this slice belongs to is over: the next tick's slices cover its range again. */
  boolean staleAt(Instant now) {
    return !now.isBefore(asOf.plus(PollSchedule.TICK));
  }

  PubsubMessage encode() {
    try {
      return PubsubMessage.newBuilder()
          .setData(ByteString.copyFrom(JSON.writeValueAsBytes(Wire.of(this))))
          .putAttributes("slice", label())
          .putAttributes("as_of", asOf.toString())
          .build();
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a record of strings and numbers always serializes", e);
    }
  }

  /**
   * Reads a slice from a message's data.
   *
   * @throws MalformedSliceException when it is not a slice: too big, not JSON, bounds that are not
   *     short lowercase hex or not in order, a position outside its count, or a time that is not an
   *     instant (a retry cannot fix any of these)
   */
  static PollSlice decode(byte[] data) throws MalformedSliceException {
    if (data.length > MAX_BYTES) {
      throw new MalformedSliceException(
          "the message is " + data.length + " bytes; expected a slice of at most " + MAX_BYTES);
    }
    Wire wire;
    try {
      wire = JSON.readValue(data, Wire.class);
    } catch (JsonProcessingException e) {
      throw new MalformedSliceException(
          "the message is not a slice JSON object: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new MalformedSliceException("the message cannot be read: " + e.getMessage());
    }
    if (wire == null || wire.asOf() == null || wire.from() == null || wire.to() == null) {
      throw new MalformedSliceException(
          "the slice lacks asOf, from or to; expected {\"asOf\", \"from\", \"to\", \"index\","
              + " \"count\"}");
    }
    Instant asOf;
    try {
      asOf = Instant.parse(wire.asOf());
    } catch (DateTimeParseException e) {
      throw new MalformedSliceException(
          "the slice's asOf is not an instant; expected e.g. 2026-12-01T12:00:00Z");
    }
    if (!BOUND.matcher(wire.from()).matches() || !BOUND.matcher(wire.to()).matches()) {
      throw new MalformedSliceException(
          "the slice's bounds are not lowercase hex of at most 8 digits (or empty)");
    }
    if (!wire.from().isEmpty() && !wire.to().isEmpty() && wire.from().compareTo(wire.to()) >= 0) {
      throw new MalformedSliceException(
          "the slice's from " + wire.from() + " is not below its to " + wire.to());
    }
    if (wire.count() < 1 || wire.count() > MAX_SLICES || wire.index() < 0) {
      throw new MalformedSliceException(
          "the slice is number "
              + wire.index()
              + " of "
              + wire.count()
              + "; expected an index from 0 and a count of 1 to "
              + MAX_SLICES);
    }
    if (wire.index() >= wire.count()) {
      throw new MalformedSliceException(
          "the slice's index " + wire.index() + " is not below its count " + wire.count());
    }
    return new PollSlice(asOf, wire.from(), wire.to(), wire.index(), wire.count());
  }

  /** True when {@code asOf} is so far ahead that the sender's clock cannot be trusted. */
  boolean fromTheFuture(Instant now) {
    return asOf.isAfter(now.plus(FUTURE_SKEW));
  }

  /** The JSON shape: the instant as ISO-8601 text. */
  private record Wire(String asOf, String from, String to, int index, int count) {
    static Wire of(PollSlice slice) {
      return new Wire(
          slice.asOf().toString(), slice.from(), slice.to(), slice.index(), slice.count());
    }
  }

  /** Not a slice; logged and dropped. */
  static final class MalformedSliceException extends Exception {
    MalformedSliceException(String message) {
      super(message);
    }
  }
}
