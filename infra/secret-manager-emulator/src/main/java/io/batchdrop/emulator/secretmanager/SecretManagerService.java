package io.batchdrop.emulator.secretmanager;

import com.google.cloud.secretmanager.v1.AccessSecretVersionRequest;
import com.google.cloud.secretmanager.v1.AccessSecretVersionResponse;
import com.google.cloud.secretmanager.v1.AddSecretVersionRequest;
import com.google.cloud.secretmanager.v1.SecretPayload;
import com.google.cloud.secretmanager.v1.SecretVersion;
import com.google.protobuf.ByteString;
import io.grpc.MethodDescriptor;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.ProtoUtils;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.CRC32C;

/**
 * AccessSecretVersion and AddSecretVersion of {@code
 * google.cloud.secretmanager.v1.SecretManagerService}; a call of any other method is UNIMPLEMENTED,
 * as grpc-java answers a method no service binds. The binding is written out here because Maven
 * Central serves no {@code grpc-google-cloud-secretmanager-v1} (the generated stubs) for this BOM:
 * the method names and messages are the proto artifact's, so the wire is the real one. Access
 * answers carry {@code data_crc32c}, as the real service's do, so a client can verify the payload
 * it received.
 */
final class SecretManagerService {
  static final String SERVICE = "google.cloud.secretmanager.v1.SecretManagerService";

  private final SecretStore store;
  private final AtomicInteger accesses = new AtomicInteger();
  private final AtomicInteger corruptAnswers = new AtomicInteger();

  SecretManagerService(SecretStore store) {
    this.store = store;
  }

  /** The service as grpc-java serves it: the real method names and protobuf messages. */
  ServerServiceDefinition definition() {
    return ServerServiceDefinition.builder(SERVICE)
        .addMethod(
            unary(
                "AccessSecretVersion",
                AccessSecretVersionRequest.getDefaultInstance(),
                AccessSecretVersionResponse.getDefaultInstance()),
            ServerCalls.asyncUnaryCall(this::accessSecretVersion))
        .addMethod(
            unary(
                "AddSecretVersion",
                AddSecretVersionRequest.getDefaultInstance(),
                SecretVersion.getDefaultInstance()),
            ServerCalls.asyncUnaryCall(this::addSecretVersion))
        .build();
  }

  private static <Q extends com.google.protobuf.Message, R extends com.google.protobuf.Message>
      MethodDescriptor<Q, R> unary(String method, Q request, R response) {
    return MethodDescriptor.<Q, R>newBuilder()
        .setType(MethodDescriptor.MethodType.UNARY)
        .setFullMethodName(MethodDescriptor.generateFullMethodName(SERVICE, method))
        .setRequestMarshaller(ProtoUtils.marshaller(request))
        .setResponseMarshaller(ProtoUtils.marshaller(response))
        .build();
  }

  void accessSecretVersion(
      AccessSecretVersionRequest request,
      StreamObserver<AccessSecretVersionResponse> responseObserver) {
    accesses.incrementAndGet();
    try {
      SecretStore.Resolved version = store.resolve(SecretNames.version(request.getName()));
      long crc = crc32c(version.data());
      ByteString data = version.data();
      if (corruptAnswers.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
        // A payload damaged on its way, under the checksum of the stored one.
        data = data.concat(ByteString.copyFromUtf8("?"));
      }
      responseObserver.onNext(
          AccessSecretVersionResponse.newBuilder()
              .setName(version.name())
              .setPayload(SecretPayload.newBuilder().setData(data).setDataCrc32C(crc))
              .build());
      responseObserver.onCompleted();
    } catch (StatusRuntimeException e) {
      responseObserver.onError(e);
    }
  }

  void addSecretVersion(
      AddSecretVersionRequest request, StreamObserver<SecretVersion> responseObserver) {
    try {
      SecretPayload payload = request.getPayload();
      if (payload.hasDataCrc32C() && payload.getDataCrc32C() != crc32c(payload.getData())) {
        throw Status.INVALID_ARGUMENT
            .withDescription("Checksum mismatch: data_crc32c does not match the payload's data.")
            .asRuntimeException();
      }
      String name = store.add(SecretNames.secret(request.getParent()), payload.getData());
      responseObserver.onNext(
          SecretVersion.newBuilder()
              .setName(name)
              .setState(SecretVersion.State.ENABLED)
              .setClientSpecifiedPayloadChecksum(payload.hasDataCrc32C())
              .build());
      responseObserver.onCompleted();
    } catch (StatusRuntimeException e) {
      responseObserver.onError(e);
    }
  }

  int accessCount() {
    return accesses.get();
  }

  void corruptNextAnswers(int count) {
    corruptAnswers.set(count);
  }

  void reset() {
    accesses.set(0);
    corruptAnswers.set(0);
  }

  static long crc32c(ByteString data) {
    CRC32C crc = new CRC32C();
    crc.update(data.asReadOnlyByteBuffer());
    return crc.getValue();
  }
}
