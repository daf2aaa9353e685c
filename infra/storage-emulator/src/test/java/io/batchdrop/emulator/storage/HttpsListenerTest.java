package io.batchdrop.emulator.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.cloud.storage.BlobInfo;
import com.google.cloud.storage.BucketInfo;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The optional HTTPS listener native gsutil needs, and the certificate it makes at start. */
class HttpsListenerTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(30);
  private static final ObjectMapper MAPPER = new ObjectMapper();

  @TempDir Path dir;
  private EmulatedStorage emulated;

  @BeforeEach
  void start() throws IOException {
    emulated =
        EmulatedStorage.start(
            StorageEmulatorConfig.inMemory().withHttps(0, dir.resolve("tls/storage-ca.pem")));
  }

  @AfterEach
  void stop() {
    emulated.close();
  }

  @Test
  void aClientTrustingTheWrittenCertificateSeesWhatPlainHttpStoredWithLinksBackToHttps()
      throws Exception {
    emulated.storage().create(BucketInfo.of("both"));
    emulated
        .storage()
        .create(
            BlobInfo.newBuilder("both", "a.txt").build(),
            "over http".getBytes(StandardCharsets.UTF_8));
    URI https = emulated.emulator().httpsBaseUri().orElseThrow();
    HttpClient client =
        HttpClient.newBuilder().sslContext(trusting(certificate())).connectTimeout(TIMEOUT).build();

    HttpResponse<String> object = get(client, https + "/storage/v1/b/both/o/a.txt");
    assertThat(object.statusCode()).isEqualTo(200);
    JsonNode json = MAPPER.readTree(object.body());
    assertThat(json.path("selfLink").asText()).isEqualTo(https + "/storage/v1/b/both/o/a.txt");
    assertThat(json.path("mediaLink").asText()).startsWith(https + "/download/storage/v1/b/both/");
    assertThat(get(client, json.path("mediaLink").asText()).body()).isEqualTo("over http");
  }

  @Test
  void aClientThatDoesNotTrustTheCertificateIsRefusedTheHandshake() {
    URI https = emulated.emulator().httpsBaseUri().orElseThrow();
    HttpClient client = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
    assertThatThrownBy(() -> get(client, https + "/storage/v1/b?project=p"))
        .isInstanceOf(SSLHandshakeException.class);
  }

  @Test
  void theCertificateIsItsOwnCaForTheLoopbackNamesAndExpiresWithinAYearAndAMonth()
      throws Exception {
    X509Certificate certificate = certificate();
    assertThat(alternativeNames(certificate))
        .containsExactlyInAnyOrder("localhost", "127.0.0.1", "0:0:0:0:0:0:0:1");
    assertThat(certificate.getBasicConstraints()).isNotNegative(); // a CA
    assertThat(certificate.getKeyUsage()[5]).as("keyCertSign").isTrue();
    assertThat(certificate.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.1");
    certificate.checkValidity();
    assertThat(certificate.getNotAfter().toInstant())
        .isBefore(Instant.now().plus(400, ChronoUnit.DAYS));
    assertThat(Files.readString(emulated.emulator().certificateFile().orElseThrow()))
        .startsWith("-----BEGIN CERTIFICATE-----\n")
        .endsWith("-----END CERTIFICATE-----\n")
        .doesNotContain("PRIVATE KEY");
  }

  @Test
  void aCertificateMadeNear2050EncodesItsExpiryAsGeneralizedTime() {
    Instant late2049 = Instant.parse("2049-12-20T00:00:00Z");
    X509Certificate certificate =
        SelfSignedCertificate.generate(List.of("storage.internal", "10.1.2.3"), late2049)
            .certificate();
    assertThat(certificate.getNotBefore().toInstant())
        .isEqualTo(late2049.minus(1, ChronoUnit.DAYS));
    assertThat(certificate.getNotAfter().toInstant().atZone(java.time.ZoneOffset.UTC).getYear())
        .isEqualTo(2051);
  }

  @Test
  void theHostTheEmulatorIsBoundToIsNamedButAWildcardIsNot() throws Exception {
    assertThat(
            alternativeNames(
                SelfSignedCertificate.generate(
                        List.of("storage.internal", "0.0.0.0"), Instant.now())
                    .certificate()))
        .containsExactlyInAnyOrder("localhost", "127.0.0.1", "0:0:0:0:0:0:0:1", "storage.internal");
  }

  @Test
  void theBotoConfigNamesTheHttpsListenerAndTheCertificate() {
    URI https = emulated.emulator().httpsBaseUri().orElseThrow();
    String boto = GsutilBotoConfig.of(emulated.emulator(), "proj").text();
    assertThat(boto)
        .contains(
            "[Credentials]\ngs_json_host = 127.0.0.1\ngs_json_port = " + https.getPort() + "\n")
        .contains(
            "ca_certificates_file = "
                + emulated.emulator().certificateFile().orElseThrow().toAbsolutePath()
                + "\n")
        .contains("[GSUtil]\ndefault_project_id = proj\n");
  }

  @Test
  void theBotoConfigNeedsTheHttpsListener() throws IOException {
    try (EmulatedStorage plain = EmulatedStorage.start(StorageEmulatorConfig.inMemory())) {
      assertThatThrownBy(() -> GsutilBotoConfig.of(plain.emulator(), "proj"))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("withHttps");
    }
  }

  @Test
  void theCommandLineWantsTheCertificateFileWithTheHttpsPort() {
    assertThatThrownBy(() -> StandaloneOptions.parse(new String[] {"--https-port", "9443"}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("--https-port and --ca-file go together");
    assertThat(
            StandaloneOptions.parse(
                    new String[] {"--https-port", "9443", "--ca-file", "/tmp/ca.pem"})
                .config()
                .https())
        .contains(new StorageEmulatorConfig.Https(9443, Path.of("/tmp/ca.pem")));
  }

  private static List<String> alternativeNames(X509Certificate certificate) throws Exception {
    return certificate.getSubjectAlternativeNames().stream()
        .map(name -> String.valueOf(name.get(1)))
        .toList();
  }

  private X509Certificate certificate() throws Exception {
    try (InputStream in =
        Files.newInputStream(emulated.emulator().certificateFile().orElseThrow())) {
      return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
    }
  }

  private static SSLContext trusting(X509Certificate certificate) throws Exception {
    KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
    trusted.load(null, null);
    trusted.setCertificateEntry("emulator", certificate);
    TrustManagerFactory trust =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    trust.init(trusted);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, trust.getTrustManagers(), null);
    return context;
  }

  private static HttpResponse<String> get(HttpClient client, String uri)
      throws IOException, InterruptedException {
    return client.send(
        HttpRequest.newBuilder(URI.create(uri)).timeout(TIMEOUT).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
