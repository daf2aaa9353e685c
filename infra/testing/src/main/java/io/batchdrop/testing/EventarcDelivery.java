package io.batchdrop.testing;

import io.cloudevents.CloudEvent;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A CloudEvent as Eventarc POSTs it to a Cloud Run function, in binary mode: the attributes as
 * {@code ce-*} headers, the data's content type as Content-Type and the data as the body. Built
 * from the events {@link StorageEvents} and {@link MessagePublishedEvent} make, for tests that call
 * a function over HTTP ({@link InvokedFunction#post}) as the platform does.
 *
 * @param headers the HTTP headers, Content-Type included
 * @param body the data, as text
 */
public record EventarcDelivery(Map<String, String> headers, String body) {

  public EventarcDelivery {
    headers = Map.copyOf(headers);
  }

  /**
   * The binary-mode request for {@code event}; its time, if any, as an {@code Instant} in UTC
   * (seconds always written).
   */
  public static EventarcDelivery of(CloudEvent event) {
    Map<String, String> headers = new LinkedHashMap<>();
    if (event.getDataContentType() != null) {
      headers.put("Content-Type", event.getDataContentType());
    }
    headers.put("ce-specversion", event.getSpecVersion().toString());
    headers.put("ce-id", event.getId());
    headers.put("ce-type", event.getType());
    headers.put("ce-source", event.getSource().toString());
    if (event.getSubject() != null) {
      headers.put("ce-subject", event.getSubject());
    }
    if (event.getTime() != null) {
      headers.put("ce-time", event.getTime().toInstant().toString());
    }
    String body =
        event.getData() == null
            ? ""
            : new String(event.getData().toBytes(), StandardCharsets.UTF_8);
    return new EventarcDelivery(headers, body);
  }

  /** The same event with another body, as a broken or a newer producer would send it. */
  public EventarcDelivery withBody(String body) {
    return new EventarcDelivery(headers, body);
  }
}
