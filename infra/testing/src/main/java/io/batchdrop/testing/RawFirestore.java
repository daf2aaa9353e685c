package io.batchdrop.testing;

import com.google.api.gax.core.NoCredentialsProvider;
import com.google.api.gax.grpc.GrpcTransportChannel;
import com.google.api.gax.rpc.FixedTransportChannelProvider;
import com.google.cloud.firestore.v1.FirestoreClient;
import com.google.cloud.firestore.v1.FirestoreSettings;
import com.google.firestore.v1.BeginTransactionRequest;
import com.google.firestore.v1.GetDocumentRequest;
import com.google.firestore.v1.RollbackRequest;
import com.google.protobuf.ByteString;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import java.io.IOException;

/**
 * The Firestore emulator through its raw gRPC API, for what the high-level client never leaves
 * behind: a transaction begun and never finished (its client gone), a commit sent twice.
 */
public final class RawFirestore {
  public final FirestoreClient client;
  public final String database;

  private RawFirestore(FirestoreClient client, String database) {
    this.client = client;
    this.database = database;
  }

  public static RawFirestore connect(LocalCloud cloud) throws IOException {
    ManagedChannel channel =
        ManagedChannelBuilder.forTarget(cloud.environment().get("FIRESTORE_EMULATOR_HOST"))
            .usePlaintext()
            .build();
    cloud.closeAfterTest(channel::shutdownNow);
    FirestoreClient raw =
        FirestoreClient.create(
            FirestoreSettings.newBuilder()
                .setCredentialsProvider(NoCredentialsProvider.create())
                .setTransportChannelProvider(
                    FixedTransportChannelProvider.create(GrpcTransportChannel.create(channel)))
                .build());
    cloud.closeAfterTest(raw);
    return new RawFirestore(raw, "projects/" + cloud.projectId() + "/databases/(default)");
  }

  public ByteString beginTransaction() {
    return client
        .beginTransaction(BeginTransactionRequest.newBuilder().setDatabase(database).build())
        .getTransaction();
  }

  /**
   * Reads {@code collection/id} (existing or not) in a transaction that is then left open, as one
   * whose client died mid-way: the emulator, like Firestore, keeps the document locked until the
   * transaction ends. Returns the transaction, for {@link #rollback}.
   */
  public ByteString lock(String collection, String id) {
    ByteString transaction = beginTransaction();
    try {
      client.getDocument(
          GetDocumentRequest.newBuilder()
              .setName(database + "/documents/" + collection + "/" + id)
              .setTransaction(transaction)
              .build());
    } catch (com.google.api.gax.rpc.NotFoundException e) {
      // A missing document is locked too.
    }
    return transaction;
  }

  public void rollback(ByteString transaction) {
    client.rollback(
        RollbackRequest.newBuilder().setDatabase(database).setTransaction(transaction).build());
  }
}
