package io.batchdrop.emulator.secretmanager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.api.gax.core.NoCredentialsProvider;
import com.google.api.gax.grpc.InstantiatingGrpcChannelProvider;
import com.google.api.gax.rpc.FailedPreconditionException;
import com.google.api.gax.rpc.InvalidArgumentException;
import com.google.api.gax.rpc.NotFoundException;
import com.google.cloud.secretmanager.v1.AccessSecretVersionResponse;
import com.google.cloud.secretmanager.v1.SecretManagerServiceClient;
import com.google.cloud.secretmanager.v1.SecretManagerServiceSettings;
import com.google.cloud.secretmanager.v1.SecretName;
import com.google.cloud.secretmanager.v1.SecretPayload;
import com.google.protobuf.ByteString;
import io.grpc.ManagedChannelBuilder;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The emulator as the official {@code SecretManagerServiceClient} sees it. */
class SecretManagerEmulatorTest {
  private SecretManagerEmulator emulator;
  private SecretManagerServiceClient client;

  @BeforeEach
  void start() throws Exception {
    emulator = SecretManagerEmulator.start("127.0.0.1", 0);
    client =
        SecretManagerServiceClient.create(
            SecretManagerServiceSettings.newBuilder()
                .setTransportChannelProvider(
                    InstantiatingGrpcChannelProvider.newBuilder()
                        .setEndpoint(emulator.endpoint())
                        .setChannelConfigurator(ManagedChannelBuilder::usePlaintext)
                        .build())
                .setCredentialsProvider(NoCredentialsProvider.create())
                .build());
  }

  @AfterEach
  void stop() {
    client.close();
    emulator.close();
  }

  @Test
  void anAddedVersionIsReadBackWithItsNumberedNameAndChecksum() {
    String name = emulator.addVersion("p", "gemini-key", bytes("AIza-secret"));

    AccessSecretVersionResponse answer = client.accessSecretVersion(name);

    assertThat(name).isEqualTo("projects/p/secrets/gemini-key/versions/1");
    assertThat(answer.getName()).isEqualTo(name);
    assertThat(answer.getPayload().getData().toStringUtf8()).isEqualTo("AIza-secret");
    assertThat(answer.getPayload().getDataCrc32C()).isEqualTo(crc32c(bytes("AIza-secret")));
    assertThat(emulator.accessCount()).isEqualTo(1);
  }

  @Test
  void latestIsTheMostRecentlyAddedVersion() {
    emulator.addVersion("p", "k", bytes("old"));
    emulator.addVersion("p", "k", bytes("new"));

    AccessSecretVersionResponse answer =
        client.accessSecretVersion("projects/p/secrets/k/versions/latest");

    assertThat(answer.getName()).isEqualTo("projects/p/secrets/k/versions/2");
    assertThat(answer.getPayload().getData().toStringUtf8()).isEqualTo("new");
  }

  @Test
  void anUnknownSecretOrVersionIsNotFound() {
    emulator.addVersion("p", "k", bytes("v"));

    assertThatThrownBy(() -> client.accessSecretVersion("projects/p/secrets/nope/versions/1"))
        .isInstanceOf(NotFoundException.class)
        .hasMessageContaining("Secret [projects/p/secrets/nope] not found");
    assertThatThrownBy(() -> client.accessSecretVersion("projects/p/secrets/k/versions/2"))
        .isInstanceOf(NotFoundException.class)
        .hasMessageContaining("Secret Version [projects/p/secrets/k/versions/2] not found");
  }

  @Test
  void aSecretWithoutVersionsIsNotFoundEvenAsLatest() {
    emulator.createSecret("p", "empty");

    assertThatThrownBy(() -> client.accessSecretVersion("projects/p/secrets/empty/versions/latest"))
        .isInstanceOf(NotFoundException.class)
        .hasMessageContaining("has no versions");
  }

  @Test
  void aDisabledVersionIsAFailedPrecondition() {
    String name = emulator.addVersion("p", "k", bytes("v"));
    emulator.disable(name);

    assertThatThrownBy(() -> client.accessSecretVersion(name))
        .isInstanceOf(FailedPreconditionException.class)
        .hasMessageContaining("DISABLED");
  }

  @Test
  void aMalformedNameIsAnInvalidArgument() {
    assertThatThrownBy(() -> client.accessSecretVersion("projects/p/secrets/k"))
        .isInstanceOf(InvalidArgumentException.class)
        .hasMessageContaining("expected projects/*/secrets/*/versions/*");
  }

  @Test
  void aPayloadOfExactly64KiBIsAcceptedAndOneByteMoreIsRefused() {
    emulator.createSecret("p", "big");
    SecretName secret = SecretName.of("p", "big");

    var added =
        client.addSecretVersion(
            secret,
            SecretPayload.newBuilder().setData(ByteString.copyFrom(new byte[65536])).build());
    assertThat(added.getName()).endsWith("/versions/1");
    assertThatThrownBy(
            () ->
                client.addSecretVersion(
                    secret,
                    SecretPayload.newBuilder()
                        .setData(ByteString.copyFrom(new byte[65537]))
                        .build()))
        .isInstanceOf(InvalidArgumentException.class)
        .hasMessageContaining("65536 bytes");
  }

  @Test
  void anAddWhoseChecksumDoesNotMatchItsDataIsRefused() {
    emulator.createSecret("p", "k");

    assertThatThrownBy(
            () ->
                client.addSecretVersion(
                    SecretName.of("p", "k"),
                    SecretPayload.newBuilder()
                        .setData(ByteString.copyFromUtf8("key"))
                        .setDataCrc32C(crc32c(bytes("other")))
                        .build()))
        .isInstanceOf(InvalidArgumentException.class)
        .hasMessageContaining("Checksum mismatch");
  }

  @Test
  void aCorruptedAnswerCarriesTheChecksumOfTheStoredData() {
    String name = emulator.addVersion("p", "k", bytes("key"));
    emulator.corruptNextAnswers(1);

    SecretPayload damaged = client.accessSecretVersion(name).getPayload();
    SecretPayload whole = client.accessSecretVersion(name).getPayload();

    assertThat(crc32c(damaged.getData().toByteArray())).isNotEqualTo(damaged.getDataCrc32C());
    assertThat(crc32c(whole.getData().toByteArray())).isEqualTo(whole.getDataCrc32C());
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static long crc32c(byte[] data) {
    CRC32C crc = new CRC32C();
    crc.update(data);
    return crc.getValue();
  }
}
