package io.batchdrop.emulator.secretmanager;

import com.google.protobuf.ByteString;
import io.grpc.Status;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Secrets and their numbered versions, as Secret Manager keeps them: a version's payload is at most
 * 64 KiB, versions are numbered from 1 in the order they were added, and {@code latest} is the most
 * recently added one whatever its state (a disabled latest fails, it does not fall back).
 */
final class SecretStore {
  /** Secret Manager's payload limit: 64 KiB of data per version. */
  static final int MAX_PAYLOAD_BYTES = 64 * 1024;

  private final Map<String, List<StoredVersion>> secrets = new LinkedHashMap<>();

  synchronized void createSecret(SecretNames.Secret secret) {
    if (secrets.containsKey(secret.name())) {
      throw Status.ALREADY_EXISTS
          .withDescription("Secret [" + secret.name() + "] already exists.")
          .asRuntimeException();
    }
    secrets.put(secret.name(), new ArrayList<>());
  }

  /** Adds a version and returns its full name. */
  synchronized String add(SecretNames.Secret secret, ByteString data) {
    if (data.size() > MAX_PAYLOAD_BYTES) {
      throw Status.INVALID_ARGUMENT
          .withDescription(
              "Secret Payload cannot be larger than 65536 bytes; it is " + data.size() + " bytes.")
          .asRuntimeException();
    }
    List<StoredVersion> versions = secrets.get(secret.name());
    if (versions == null) {
      throw Status.NOT_FOUND
          .withDescription("Secret [" + secret.name() + "] not found.")
          .asRuntimeException();
    }
    versions.add(new StoredVersion(data, true));
    return secret.name() + "/versions/" + versions.size();
  }

  /** The version a name means, {@code latest} resolved, with its full numbered name. */
  synchronized Resolved resolve(SecretNames.Version version) {
    List<StoredVersion> versions = secrets.get(version.secret().name());
    if (versions == null || versions.isEmpty()) {
      throw Status.NOT_FOUND
          .withDescription("Secret [" + version.secret().name() + "] not found or has no versions.")
          .asRuntimeException();
    }
    int number;
    if ("latest".equals(version.version())) {
      number = versions.size();
    } else {
      try {
        number = Integer.parseInt(version.version());
      } catch (NumberFormatException e) {
        number = 0;
      }
    }
    if (number < 1 || number > versions.size()) {
      throw Status.NOT_FOUND
          .withDescription("Secret Version [" + version.name() + "] not found.")
          .asRuntimeException();
    }
    String name = version.secret().name() + "/versions/" + number;
    StoredVersion stored = versions.get(number - 1);
    if (!stored.enabled()) {
      throw Status.FAILED_PRECONDITION
          .withDescription("Secret Version [" + name + "] is in DISABLED state.")
          .asRuntimeException();
    }
    return new Resolved(name, stored.data());
  }

  synchronized void disable(SecretNames.Version version) {
    List<StoredVersion> versions = secrets.getOrDefault(version.secret().name(), List.of());
    int number =
        "latest".equals(version.version()) ? versions.size() : Integer.parseInt(version.version());
    if (number < 1 || number > versions.size()) {
      throw new IllegalArgumentException("no secret version " + version.name());
    }
    versions.set(number - 1, new StoredVersion(versions.get(number - 1).data(), false));
  }

  synchronized void clear() {
    secrets.clear();
  }

  record StoredVersion(ByteString data, boolean enabled) {}

  record Resolved(String name, ByteString data) {}
}
