package io.batchdrop.testing;

import com.google.cloud.storage.Blob;
import com.google.events.cloud.storage.v1.StorageObjectData;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.UUID;

/** The Cloud Storage CloudEvents Eventarc delivers, built from an object the emulator holds. */
public final class StorageEvents {
  public static final String FINALIZED = "google.cloud.storage.object.v1.finalized";

  private StorageEvents() {}

  /**
   * The finalize event of this object generation, as a structured {@link CloudEvent} whose data is
   * {@code StorageObjectData} in its JSON form (what {@code submit} receives): a new event id each
   * time, as a redelivery of the same upload would not have, so tests of redelivery reuse one.
   */
  public static CloudEvent finalized(Blob blob) {
    return finalized(blob, UUID.randomUUID().toString());
  }

  /**
   * The finalize event of this object generation under {@code eventId}: a redelivery of one event
   * keeps its id. Over HTTP it goes as {@link EventarcDelivery#of}: binary mode, with {@code
   * StorageObjectData}'s int64 fields as JSON strings, as Eventarc POSTs it.
   */
  public static CloudEvent finalized(Blob blob, String eventId) {
    StorageObjectData.Builder data =
        StorageObjectData.newBuilder()
            .setBucket(blob.getBucket())
            .setName(blob.getName())
            .setGeneration(blob.getGeneration())
            .setMetageneration(blob.getMetageneration())
            .setSize(blob.getSize())
            .setContentType(blob.getContentType() == null ? "" : blob.getContentType())
            .setContentEncoding(blob.getContentEncoding() == null ? "" : blob.getContentEncoding())
            .setMd5Hash(blob.getMd5() == null ? "" : blob.getMd5());
    if (blob.getMetadata() != null) {
      data.putAllMetadata(blob.getMetadata());
    }
    String json;
    try {
      json = JsonFormat.printer().print(data);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("StorageObjectData always prints as JSON", e);
    }
    return CloudEventBuilder.v1()
        .withId(eventId)
        .withType(FINALIZED)
        .withSource(URI.create("//storage.googleapis.com/projects/_/buckets/" + blob.getBucket()))
        .withSubject("objects/" + blob.getName())
        .withTime(OffsetDateTime.now())
        .withData("application/json", json.getBytes(StandardCharsets.UTF_8))
        .build();
  }
}
