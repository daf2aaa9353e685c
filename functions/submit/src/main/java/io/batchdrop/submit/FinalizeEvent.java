package io.batchdrop.submit;

import com.google.events.cloud.storage.v1.StorageObjectData;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import io.cloudevents.CloudEvent;
import java.nio.charset.StandardCharsets;

/**
 * Reads a {@code google.cloud.storage.object.v1.finalized} CloudEvent into an {@link
 * UploadedObject}.
 */
final class FinalizeEvent {
  static final String TYPE = "google.cloud.storage.object.v1.finalized";

  private FinalizeEvent() {}

  static UploadedObject parse(CloudEvent event) throws MalformedEventException {
    if (!TYPE.equals(event.getType())) {
      throw new MalformedEventException(
          "event type is \"" + event.getType() + "\"; expected \"" + TYPE + "\"");
    }
    if (event.getData() == null) {
      throw new MalformedEventException("event " + event.getId() + " has no data");
    }
    String json = new String(event.getData().toBytes(), StandardCharsets.UTF_8);
    StorageObjectData.Builder data = StorageObjectData.newBuilder();
    try {
      // Unknown fields are ignored: Google adds fields to this payload over time.
      JsonFormat.parser().ignoringUnknownFields().merge(json, data);
    } catch (InvalidProtocolBufferException | RuntimeException e) {
      throw new MalformedEventException(
          "event "
              + event.getId()
              + " data is not a StorageObjectData JSON object: "
              + e.getMessage(),
          e);
    }
    if (data.getBucket().isEmpty() || data.getName().isEmpty()) {
      throw new MalformedEventException(
          "event " + event.getId() + " data lacks \"bucket\" or \"name\"");
    }
    if (data.getGeneration() <= 0) {
      throw new MalformedEventException(
          "event " + event.getId() + " data lacks a positive \"generation\"");
    }
    return new UploadedObject(
        data.getBucket(),
        data.getName(),
        data.getGeneration(),
        data.getSize(),
        data.getMd5Hash(),
        data.getContentType(),
        data.getMetadataMap());
  }
}
