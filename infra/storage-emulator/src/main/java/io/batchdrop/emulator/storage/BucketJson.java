package io.batchdrop.emulator.storage;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;

/** The {@code storage#bucket} resource. */
final class BucketJson {
  private final ObjectMapper mapper;
  private final String baseUri;

  BucketJson(ObjectMapper mapper, URI baseUri) {
    this.mapper = mapper;
    this.baseUri = baseUri.toString();
  }

  ObjectNode resource(Bucket bucket, ApiRequest request) {
    String baseUri = request.linkBase(this.baseUri);
    ObjectNode node = mapper.createObjectNode();
    node.put("kind", "storage#bucket");
    node.put("id", bucket.name());
    node.put("name", bucket.name());
    node.put("selfLink", baseUri + "/storage/v1/b/" + UrlCodec.encodePathSegment(bucket.name()));
    node.put("projectNumber", "0");
    node.put("metageneration", Long.toString(bucket.metageneration()));
    node.put("location", bucket.location());
    node.put("locationType", "region");
    node.put("storageClass", bucket.storageClass());
    node.put("etag", "CA" + Long.toString(bucket.metageneration(), 36) + "=");
    node.put("timeCreated", Rfc3339.format(bucket.timeCreated()));
    node.put("updated", Rfc3339.format(bucket.updated()));
    if (!bucket.labels().isEmpty()) {
      ObjectNode labels = node.putObject("labels");
      bucket.labels().forEach(labels::put);
    }
    return node;
  }
}
