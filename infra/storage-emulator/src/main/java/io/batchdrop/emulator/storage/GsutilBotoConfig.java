package io.batchdrop.emulator.storage;

import java.net.URI;
import java.nio.file.Path;
import java.util.Objects;

/**
 * The boto configuration that points native gsutil at an emulator's HTTPS listener. gsutil builds
 * its JSON API URL as {@code https://} + {@code gs_json_host} + {@code :gs_json_port} (gslib's
 * gcs_json_api.py hard-codes the scheme), so plain HTTP cannot serve it: its TLS ClientHello would
 * wait forever for an answer. With no credentials configured gsutil calls anonymously, which the
 * emulator accepts.
 *
 * @param httpsBaseUri the emulator's {@code https://host:port}
 * @param certificateFile the emulator's PEM certificate, trusted as gsutil's only CA
 * @param projectId what {@code gsutil mb} and {@code ls} use when no project is given
 */
public record GsutilBotoConfig(URI httpsBaseUri, Path certificateFile, String projectId) {
  public GsutilBotoConfig {
    Objects.requireNonNull(httpsBaseUri, "httpsBaseUri");
    Objects.requireNonNull(certificateFile, "certificateFile");
    Objects.requireNonNull(projectId, "projectId");
    if (!"https".equals(httpsBaseUri.getScheme()) || httpsBaseUri.getPort() < 0) {
      throw new IllegalArgumentException(
          "gsutil needs an https://host:port base URI, got " + httpsBaseUri);
    }
  }

  /** For an emulator started with {@link StorageEmulatorConfig#withHttps}. */
  public static GsutilBotoConfig of(StorageEmulator emulator, String projectId) {
    return new GsutilBotoConfig(
        emulator
            .httpsBaseUri()
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        "gsutil needs the emulator's HTTPS listener: start it withHttps(...)")),
        emulator.certificateFile().orElseThrow(),
        projectId);
  }

  /** The file's text, for {@code BOTO_CONFIG}. */
  public String text() {
    // An IPv6 host keeps its brackets: gsutil pastes the value into the URL as it is.
    return "# gsutil settings for the Batchdrop storage emulator\n"
        + "[Credentials]\n"
        + "gs_json_host = "
        + httpsBaseUri.getHost()
        + "\n"
        + "gs_json_port = "
        + httpsBaseUri.getPort()
        + "\n"
        + "\n[Boto]\n"
        + "# the certificate the emulator made at start; gcloud's wrapper overrides this with\n"
        + "# CLOUDSDK_CORE_CUSTOM_CA_CERTS_FILE (core/custom_ca_certs_file) when that is set\n"
        + "ca_certificates_file = "
        + certificateFile.toAbsolutePath()
        + "\n"
        + "# a local emulator answers at once or is down: fail in seconds, not after 23 retries\n"
        + "num_retries = 2\n"
        + "max_retry_delay = 1\n"
        + "\n[GSUtil]\n"
        + "default_project_id = "
        + projectId
        + "\n";
  }
}
