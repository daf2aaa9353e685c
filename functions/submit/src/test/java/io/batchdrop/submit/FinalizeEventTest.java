package io.batchdrop.submit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.events.cloud.storage.v1.StorageObjectData;
import com.google.protobuf.util.JsonFormat;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FinalizeEventTest {
  /** What Eventarc POSTs for an upload: int64 fields as strings, many fields submit ignores. */
  private static final String EVENTARC =
      """
      {"kind":"storage#object","id":"in-bkt/incoming/a.jsonl/1700000000000001",
       "selfLink":"https://www.googleapis.com/storage/v1/b/in-bkt/o/incoming%2Fa.jsonl",
       "name":"incoming/a.jsonl","bucket":"in-bkt","generation":"1700000000000001",
       "metageneration":"1","contentType":"application/jsonl",
       "timeCreated":"2026-12-01T10:00:00.000Z","updated":"2026-12-01T10:00:00.000Z",
       "storageClass":"STANDARD","timeStorageClassUpdated":"2026-12-01T10:00:00.000Z",
       "size":"352","md5Hash":"XrY7u+Ae7tCTyyK7j1rNww==","crc32c":"AAAAAA==","etag":"CAE=",
       "mediaLink":"https://storage.googleapis.com/download/storage/v1/b/in-bkt/o/incoming%2Fa.jsonl",
       "metadata":{"batchdrop-model":"gemini-2.5-flash","batchdrop-policy":"skip-invalid"},
       "someFieldAddedLater":{"nested":[1,2,3]}}
      """;

  @Test
  void anEventarcPayloadGivesTheObjectItAnnounces() throws Exception {
    UploadedObject object = FinalizeEvent.parse(event(EVENTARC));

    assertThat(object)
        .isEqualTo(
            new UploadedObject(
                "in-bkt",
                "incoming/a.jsonl",
                1_700_000_000_000_001L,
                352,
                "XrY7u+Ae7tCTyyK7j1rNww==",
                "application/jsonl",
                "",
                Map.of("batchdrop-model", "gemini-2.5-flash", "batchdrop-policy", "skip-invalid")));
  }

  @Test
  void theObjectIsWhatJsonFormatReadsFromTheSamePayload() throws Exception {
    StorageObjectData.Builder data = StorageObjectData.newBuilder();
    JsonFormat.parser().ignoringUnknownFields().merge(EVENTARC, data);

    UploadedObject object = FinalizeEvent.parse(event(EVENTARC));

    assertThat(object)
        .isEqualTo(
            new UploadedObject(
                data.getBucket(),
                data.getName(),
                data.getGeneration(),
                data.getSize(),
                data.getMd5Hash(),
                data.getContentType(),
                data.getContentEncoding(),
                data.getMetadataMap()));
  }

  @Test
  void int64FieldsAsPlainNumbersAndProtoFieldNamesAreReadAsJsonFormatReadsThem() throws Exception {
    UploadedObject object =
        FinalizeEvent.parse(
            event(
                "{\"bucket\":\"b\",\"name\":\"x.jsonl\",\"generation\":7,\"size\":12,"
                    + "\"content_type\":\"text/plain\",\"md5_hash\":\"aGFzaA==\"}"));

    assertThat(object.generation()).isEqualTo(7);
    assertThat(object.size()).isEqualTo(12);
    assertThat(object.contentType()).isEqualTo("text/plain");
    assertThat(object.md5Hash()).isEqualTo("aGFzaA==");
    assertThat(object.metadata()).isEmpty();
  }

  @Test
  void nullFieldsAreAbsentAsInJsonFormat() throws Exception {
    UploadedObject object =
        FinalizeEvent.parse(
            event(
                "{\"bucket\":\"b\",\"name\":\"x.jsonl\",\"generation\":\"3\",\"size\":null,"
                    + "\"contentType\":null,\"metadata\":null}"));

    assertThat(object.size()).isZero();
    assertThat(object.contentType()).isEmpty();
    assertThat(object.metadata()).isEmpty();
  }

  @Test
  void aPayloadWithoutBucketOrNameIsRefusedSayingWhichFieldsAreNeeded() {
    assertThat(refusal("{\"bucket\":\"b\",\"generation\":\"1\"}"))
        .isEqualTo("event e1 data lacks \"bucket\" or \"name\"");
    assertThat(refusal("{\"bucket\":\"\",\"name\":\"x\",\"generation\":\"1\"}"))
        .isEqualTo("event e1 data lacks \"bucket\" or \"name\"");
  }

  @Test
  void aMissingZeroOrNegativeGenerationIsRefused() {
    for (String generation : new String[] {"", ",\"generation\":\"0\"", ",\"generation\":-4"}) {
      assertThat(refusal("{\"bucket\":\"b\",\"name\":\"x\"" + generation + "}"))
          .isEqualTo("event e1 data lacks a positive \"generation\"");
    }
  }

  @Test
  void aFieldOfTheWrongTypeIsRefusedSayingWhatWasExpected() {
    assertThat(refusal("{\"bucket\":12,\"name\":\"x\",\"generation\":\"1\"}"))
        .isEqualTo(
            "event e1 data is not a StorageObjectData JSON object: \"bucket\" is the number 12;"
                + " expected a string");
    assertThat(refusal("{\"bucket\":\"b\",\"name\":\"x\",\"generation\":\"soon\"}"))
        .isEqualTo(
            "event e1 data is not a StorageObjectData JSON object: \"generation\" is the string"
                + " \"soon\"; expected an int64 as a decimal string");
    assertThat(refusal("{\"bucket\":\"b\",\"name\":\"x\",\"generation\":1.5}"))
        .contains("\"generation\" is the number 1.5; expected an int64");
    assertThat(refusal("{\"bucket\":\"b\",\"name\":\"x\",\"generation\":\"99999999999999999999\"}"))
        .contains("expected an int64");
    assertThat(refusal("{\"bucket\":\"b\",\"name\":\"x\",\"generation\":\"1\",\"metadata\":[]}"))
        .contains("\"metadata\" is an array; expected an object of strings");
    assertThat(
            refusal(
                "{\"bucket\":\"b\",\"name\":\"x\",\"generation\":\"1\",\"metadata\":{\"k\":true}}"))
        .contains("\"metadata\" value of \"k\" is true; expected a string");
  }

  @Test
  void dataThatIsNotOneJsonObjectIsRefused() {
    String prefix = "event e1 data is not a StorageObjectData JSON object: ";
    assertThat(refusal("{\"bucket\": 12, \"name\": [")).startsWith(prefix);
    assertThat(refusal("[{\"bucket\":\"b\"}]"))
        .isEqualTo(prefix + "it is an array; expected an object");
    assertThat(refusal("\"b\"")).startsWith(prefix + "it is the string");
    assertThat(refusal("")).isEqualTo(prefix + "it is empty; expected an object");
    assertThat(refusal("{\"bucket\":\"b\",\"name\":\"x\",\"generation\":\"1\"} {}"))
        .startsWith(prefix);
  }

  @Test
  void aKeyGivenTwiceIsRefusedAsJsonFormatRefusesIt() {
    assertThat(refusal("{\"bucket\":\"b\",\"name\":\"x\",\"generation\":\"1\",\"name\":\"y\"}"))
        .startsWith("event e1 data is not a StorageObjectData JSON object: ")
        .contains("Duplicate field 'name'");
  }

  @Test
  void bytesThatAreNotUtf8AreRefused() {
    byte[] latin1 =
        "{\"bucket\":\"b\",\"name\":\"caf\u00e9.jsonl\",\"generation\":\"1\"}"
            .getBytes(StandardCharsets.ISO_8859_1);

    assertThat(refusal(latin1))
        .startsWith("event e1 data is not a StorageObjectData JSON object: ")
        .contains("UTF-8");
  }

  @Test
  void dataOverTheBoundIsRefusedBeforeItIsParsed() {
    String huge =
        "{\"bucket\":\"b\",\"name\":\"x\",\"generation\":\"1\",\"pad\":\""
            + "x".repeat(FinalizeEvent.MAX_DATA_BYTES)
            + "\"}";

    assertThat(refusal(huge))
        .isEqualTo(
            "event e1 data is "
                + huge.length()
                + " bytes; expected a StorageObjectData JSON object of at most 131072");
  }

  @Test
  void anEventOfAnotherTypeOrWithoutDataIsRefused() {
    CloudEvent deleted =
        CloudEventBuilder.v1()
            .withId("e1")
            .withType("google.cloud.storage.object.v1.deleted")
            .withSource(URI.create("//storage.googleapis.com/projects/_/buckets/b"))
            .withData("application/json", EVENTARC.getBytes(StandardCharsets.UTF_8))
            .build();
    CloudEvent empty =
        CloudEventBuilder.v1()
            .withId("e2")
            .withType(FinalizeEvent.TYPE)
            .withSource(URI.create("//storage.googleapis.com/projects/_/buckets/b"))
            .build();

    assertThat(refusal(deleted))
        .isEqualTo(
            "event type is \"google.cloud.storage.object.v1.deleted\"; expected \""
                + FinalizeEvent.TYPE
                + "\"");
    assertThat(refusal(empty)).isEqualTo("event e2 has no data");
  }

  private static CloudEvent event(String data) {
    return event(data.getBytes(StandardCharsets.UTF_8));
  }

  private static CloudEvent event(byte[] data) {
    return CloudEventBuilder.v1()
        .withId("e1")
        .withType(FinalizeEvent.TYPE)
        .withSource(URI.create("//storage.googleapis.com/projects/_/buckets/b"))
        .withData("application/json", data)
        .build();
  }

  private static String refusal(String data) {
    return refusal(event(data));
  }

  private static String refusal(byte[] data) {
    return refusal(event(data));
  }

  private static String refusal(CloudEvent event) {
    return catchThrowableOfType(MalformedEventException.class, () -> FinalizeEvent.parse(event))
        .getMessage();
  }
}
