package io.batchdrop.testing;

import com.google.cloud.firestore.Firestore;
import com.google.cloud.firestore.FirestoreOptions;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** The official Firestore client on the emulator, and the emulator's wipe-all endpoint. */
final class LocalFirestore implements AutoCloseable {

  private final Firestore firestore;
  private final URI documents;
  private final HttpClient http = HttpClient.newHttpClient();

  LocalFirestore(String hostPort, String projectId) {
    // setEmulatorHost switches the client to plaintext and the emulator's "owner" credentials.
    this.firestore =
        FirestoreOptions.newBuilder()
            .setProjectId(projectId)
            .setEmulatorHost(hostPort)
            .build()
            .getService();
    this.documents =
        URI.create(
            "http://"
                + hostPort
                + "/emulator/v1/projects/"
                + projectId
                + "/databases/(default)/documents");
  }

  Firestore client() {
    return firestore;
  }

  /** Deletes every document of the project's default database. */
  void deleteAll() {
    try {
      HttpResponse<String> response =
          http.send(
              HttpRequest.newBuilder(documents).DELETE().build(),
              HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        throw new IllegalStateException(
            "Firestore emulator reset answered " + response.statusCode() + ": " + response.body());
      }
    } catch (IOException e) {
      throw new IllegalStateException("Firestore emulator reset failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while resetting the Firestore emulator", e);
    }
  }

  @Override
  public void close() {
    try {
      firestore.close();
    } catch (Exception e) {
      throw new IllegalStateException("closing the Firestore client failed", e);
    }
  }
}
