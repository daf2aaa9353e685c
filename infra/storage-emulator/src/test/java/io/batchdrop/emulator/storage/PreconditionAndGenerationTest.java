package io.batchdrop.emulator.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.cloud.WriteChannel;
import com.google.cloud.storage.Blob;
import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.BlobInfo;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.Storage.BlobSourceOption;
import com.google.cloud.storage.Storage.BlobTargetOption;
import com.google.cloud.storage.Storage.BlobWriteOption;
import com.google.cloud.storage.StorageException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class PreconditionAndGenerationTest {
  private static final String BUCKET = "work";

  @RegisterExtension static final FreshBuckets BUCKETS = new FreshBuckets(BUCKET);

  private final Storage storage = BUCKETS.storage();

  @Test
  void creatingAnObjectThatMustNotExistFailsTheSecondTimeWith412() {
    BlobInfo info = BlobInfo.newBuilder(BUCKET, "claim").build();
    Blob first = storage.create(info, bytes("one"), BlobTargetOption.doesNotExist());

    assertThatThrownBy(() -> storage.create(info, bytes("two"), BlobTargetOption.doesNotExist()))
        .isInstanceOfSatisfying(
            StorageException.class, e -> assertThat(e.getCode()).isEqualTo(412));
    assertThat(storage.readAllBytes(first.getBlobId())).isEqualTo(bytes("one"));
  }

  @Test
  void resumableWriterThatMustNotExistFailsWith412() throws Exception {
    storage.create(BlobInfo.newBuilder(BUCKET, "taken").build(), bytes("first"));

    assertThatThrownBy(
            () -> {
              try (WriteChannel writer =
                  storage.writer(
                      BlobInfo.newBuilder(BUCKET, "taken").build(),
                      BlobWriteOption.doesNotExist())) {
                writer.write(ByteBuffer.wrap(bytes("second")));
              }
            })
        .satisfies(e -> assertThat(storageExceptionIn(e).getCode()).isEqualTo(412));
    assertThat(storage.readAllBytes(BlobId.of(BUCKET, "taken"))).isEqualTo(bytes("first"));
  }

  @Test
  void overwritingRaisesTheGenerationAndResetsTheMetageneration() {
    Blob first = storage.create(BlobInfo.newBuilder(BUCKET, "o").build(), bytes("1"));
    storage.update(first.toBuilder().setContentType("text/plain").build());
    Blob second = storage.create(BlobInfo.newBuilder(BUCKET, "o").build(), bytes("2"));

    assertThat(second.getGeneration()).isGreaterThan(first.getGeneration());
    assertThat(second.getMetageneration()).isEqualTo(1L);
    assertThat(storage.readAllBytes(BlobId.of(BUCKET, "o"))).isEqualTo(bytes("2"));
  }

  @Test
  void generationMatchGuardsOverwritesAndDeletes() {
    Blob current = storage.create(BlobInfo.newBuilder(BUCKET, "guarded").build(), bytes("v1"));
    BlobId stale = BlobId.of(BUCKET, "guarded", current.getGeneration() - 1);
    BlobId fresh = BlobId.of(BUCKET, "guarded", current.getGeneration());

    assertThatThrownBy(
            () ->
                storage.delete(
                    BlobId.of(BUCKET, "guarded"),
                    BlobSourceOption.generationMatch(stale.getGeneration())))
        .isInstanceOfSatisfying(
            StorageException.class, e -> assertThat(e.getCode()).isEqualTo(412));
    assertThatThrownBy(
            () ->
                storage.create(
                    BlobInfo.newBuilder(stale).build(),
                    bytes("v2"),
                    BlobTargetOption.generationMatch()))
        .isInstanceOfSatisfying(
            StorageException.class, e -> assertThat(e.getCode()).isEqualTo(412));

    Blob replaced =
        storage.create(
            BlobInfo.newBuilder(fresh).build(), bytes("v2"), BlobTargetOption.generationMatch());
    assertThat(storage.get(BlobId.of(BUCKET, "guarded")).getGeneration())
        .isEqualTo(replaced.getGeneration());
    assertThat(
            storage.delete(
                BlobId.of(BUCKET, "guarded"),
                BlobSourceOption.generationMatch(replaced.getGeneration())))
        .isTrue();
    assertThat(storage.get(BlobId.of(BUCKET, "guarded"))).isNull();
  }

  @Test
  void metagenerationMatchGuardsMetadataUpdates() {
    Blob blob = storage.create(BlobInfo.newBuilder(BUCKET, "m").build(), bytes("x"));
    storage.update(blob.toBuilder().setContentType("text/plain").build());

    assertThatThrownBy(
            () ->
                storage.update(
                    blob.toBuilder().setContentType("text/csv").build(),
                    BlobTargetOption.metagenerationMatch()))
        .isInstanceOfSatisfying(
            StorageException.class, e -> assertThat(e.getCode()).isEqualTo(412));
    assertThat(storage.get(blob.getBlobId()).getContentType()).isEqualTo("text/plain");
  }

  @Test
  void generationNotMatchOnGetReportsNotModified() {
    Blob blob = storage.create(BlobInfo.newBuilder(BUCKET, "n").build(), bytes("x"));

    assertThatThrownBy(
            () ->
                storage.get(
                    blob.getBlobId(),
                    Storage.BlobGetOption.generationNotMatch(blob.getGeneration())))
        .isInstanceOfSatisfying(
            StorageException.class, e -> assertThat(e.getCode()).isEqualTo(304));
    assertThat(
            storage.get(
                blob.getBlobId(), Storage.BlobGetOption.generationMatch(blob.getGeneration())))
        .isNotNull();
  }

  @Test
  void ofConcurrentWritersThatRequireAbsenceExactlyOneWins() throws Exception {
    int writers = 8;
    ExecutorService pool = Executors.newFixedThreadPool(writers);
    CountDownLatch go = new CountDownLatch(1);
    try {
      List<Future<Integer>> outcomes = new ArrayList<>();
      for (int i = 0; i < writers; i++) {
        byte[] content = bytes("writer " + i);
        outcomes.add(
            pool.submit(
                () -> {
                  go.await();
                  try {
                    storage.create(
                        BlobInfo.newBuilder(BUCKET, "race").build(),
                        content,
                        BlobTargetOption.doesNotExist());
                    return 200;
                  } catch (StorageException e) {
                    return e.getCode();
                  }
                }));
      }
      go.countDown();
      List<Integer> codes = new ArrayList<>();
      for (Future<Integer> outcome : outcomes) {
        codes.add(outcome.get(30, TimeUnit.SECONDS));
      }

      assertThat(codes).containsOnly(200, 412).filteredOn(code -> code == 200).hasSize(1);
      assertThat(
              new String(storage.readAllBytes(BlobId.of(BUCKET, "race")), StandardCharsets.UTF_8))
          .startsWith("writer ");
    } finally {
      pool.shutdownNow();
    }
  }

  private static StorageException storageExceptionIn(Throwable thrown) {
    for (Throwable t = thrown; t != null; t = t.getCause()) {
      if (t instanceof StorageException e) {
        return e;
      }
    }
    throw new AssertionError("no StorageException in " + thrown, thrown);
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
