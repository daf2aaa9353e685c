package io.batchdrop.submit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.google.api.gax.rpc.ApiException;
import com.google.cloud.firestore.FirestoreException;
import com.google.cloud.storage.StorageException;
import com.google.firestore.v1.CommitRequest;
import com.google.firestore.v1.Document;
import com.google.firestore.v1.Value;
import com.google.firestore.v1.Write;
import com.google.protobuf.ByteString;
import io.batchdrop.testing.LocalCloud;
import io.batchdrop.testing.LocalCloudTest;
import io.batchdrop.testing.RawFirestore;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

@LocalCloudTest
class FailuresTest {

  @Test
  void aDocumentOverFirestoresEntityLimitIsPermanentNotARetry(LocalCloud cloud) {
    Throwable refused =
        catchThrowable(
            () ->
                cloud
                    .firestore()
                    .collection("runs")
                    .document("too-large")
                    .set(Map.of("firstErrors", "x".repeat(1_100_000)))
                    .get());

    assertThat(refused).isNotNull();
    assertThat(Failures.permanentReason(refused))
        .hasValueSatisfying(r -> assertThat(r).contains("INVALID_ARGUMENT"));
  }

  @Test
  void aTransactionTheServiceHasClosedIsARetryNotTheRunsEnd(LocalCloud cloud) throws Exception {
    // A commit sent again after its connection reset, when the first one had arrived: the service
    // has closed the transaction and answers INVALID_ARGUMENT, though nothing in the run is wrong.
    RawFirestore raw = RawFirestore.connect(cloud);
    String database = raw.database;
    ByteString transaction = raw.beginTransaction();
    CommitRequest commit =
        CommitRequest.newBuilder()
            .setDatabase(database)
            .setTransaction(transaction)
            .addWrites(
                Write.newBuilder()
                    .setUpdate(
                        Document.newBuilder()
                            .setName(database + "/documents/runs/r1")
                            .putFields(
                                "leaseOwner", Value.newBuilder().setStringValue("a").build())))
            .build();
    raw.client.commit(commit);

    Throwable closed = catchThrowable(() -> raw.client.commit(commit));
    // What the client's transaction runner makes of it (it retries only an expired transaction).
    Throwable asRun =
        new ExecutionException(
            FirestoreException.forApiException(
                (ApiException) closed, "Transaction failed with non-retryable error"));

    assertThat(closed).isInstanceOf(ApiException.class).hasMessageContaining("INVALID_ARGUMENT");
    assertThat(Failures.permanentReason(closed)).isEmpty();
    assertThat(Failures.permanentReason(asRun)).isEmpty();
  }

  @Test
  void aDocumentOverTheEntityLimitWrittenInATransactionIsStillPermanent(LocalCloud cloud) {
    Throwable refused =
        catchThrowable(
            () ->
                cloud
                    .firestore()
                    .runTransaction(
                        t -> {
                          t.set(
                              cloud.firestore().collection("runs").document("too-large"),
                              Map.of("firstErrors", "x".repeat(1_100_000)));
                          return null;
                        })
                    .get());

    assertThat(refused).isNotNull();
    assertThat(Failures.permanentReason(refused))
        .hasValueSatisfying(r -> assertThat(r).contains("INVALID_ARGUMENT"));
  }

  @Test
  void aStorage404IsFoundInsideTheIoExceptionTheReadChannelWrapsItIn() {
    IOException wrapped = new IOException(new StorageException(404, "No such object"));

    assertThat(Failures.isStorageNotFound(wrapped)).isTrue();
    assertThat(Failures.isStorageNotFound(new IOException("connection reset"))).isFalse();
  }

  @Test
  void unavailableServicesAndRefusedPermissionsStayRetryable() {
    assertThat(Failures.permanentReason(new StorageException(503, "backend error"))).isEmpty();
    assertThat(Failures.permanentReason(new StorageException(403, "forbidden"))).isEmpty();
    assertThat(Failures.permanentReason(new IllegalStateException("could not publish"))).isEmpty();
  }
}
