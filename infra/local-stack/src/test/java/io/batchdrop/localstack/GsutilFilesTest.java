package io.batchdrop.localstack;

import static org.assertj.core.api.Assertions.assertThat;

import io.batchdrop.emulator.storage.StorageEmulator;
import io.batchdrop.emulator.storage.StorageEmulatorConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GsutilFilesTest {
  @Test
  void theBotoFileNamesTheHttpsListenerAndACopyOfTheCertificateAndBothGoOnClose(@TempDir Path tmp)
      throws Exception {
    try (StorageEmulator emulator =
        StorageEmulator.start(
            StorageEmulatorConfig.inMemory().withHttps(0, tmp.resolve("emulator/ca.pem")))) {
      Path dir = tmp.resolve("batchdrop-up-" + emulator.port());
      GsutilFiles files = GsutilFiles.write(emulator, "batchdrop-local", dir);

      assertThat(files.certificate()).hasSameTextualContentAs(tmp.resolve("emulator/ca.pem"));
      assertThat(Files.readString(files.botoConfig()))
          .contains("gs_json_port = " + emulator.httpsBaseUri().orElseThrow().getPort() + "\n")
          .contains("ca_certificates_file = " + files.certificate().toAbsolutePath() + "\n")
          .contains("default_project_id = batchdrop-local\n");
      assertThat(files.settings())
          .containsEntry("BOTO_CONFIG", files.botoConfig().toString())
          .containsEntry("CLOUDSDK_CORE_CUSTOM_CA_CERTS_FILE", files.certificate().toString());

      files.close();
      assertThat(dir).doesNotExist();
    }
  }
}
