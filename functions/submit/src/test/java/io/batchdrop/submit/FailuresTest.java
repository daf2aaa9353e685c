package io.batchdrop.submit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.google.cloud.storage.StorageException;
import io.batchdrop.testing.LocalCloud;
import io.batchdrop.testing.LocalCloudTest;
import java.io.IOException;
import java.util.Map;
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
