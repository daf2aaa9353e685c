package io.batchdrop.emulator.vertex;

import com.google.api.gax.core.NoCredentialsProvider;
import com.google.api.gax.grpc.InstantiatingGrpcChannelProvider;
import com.google.cloud.aiplatform.v1.JobServiceClient;
import com.google.cloud.aiplatform.v1.JobServiceSettings;
import java.io.IOException;

/**
 * The official client, on a plaintext channel without credentials, as the functions build it
 * locally.
 */
final class JobServiceClients {

  private JobServiceClients() {}

  static JobServiceClient plaintext(VertexEmulator emulator) throws IOException {
    return plaintext(emulator.endpoint());
  }

  static JobServiceClient plaintext(String endpoint) throws IOException {
    return JobServiceClient.create(
        JobServiceSettings.newBuilder()
            .setTransportChannelProvider(
                InstantiatingGrpcChannelProvider.newBuilder()
                    .setEndpoint(endpoint)
                    .setChannelConfigurator(channel -> channel.usePlaintext())
                    .build())
            .setCredentialsProvider(NoCredentialsProvider.create())
            .build());
  }
}
