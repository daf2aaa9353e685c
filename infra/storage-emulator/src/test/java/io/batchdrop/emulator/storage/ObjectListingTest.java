package io.batchdrop.emulator.storage;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.api.gax.paging.Page;
import com.google.cloud.storage.Blob;
import com.google.cloud.storage.BlobInfo;
import com.google.cloud.storage.BucketInfo;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.Storage.BlobListOption;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ObjectListingTest {
  private static final String MANY = "many-objects";
  private static final String TREE = "tree";
  private static final int COUNT = 2_500;
  private static EmulatedStorage emulated;
  private static Storage storage;

  @BeforeAll
  static void start() throws Exception {
    emulated = EmulatedStorage.start(StorageEmulatorConfig.inMemory());
    storage = emulated.storage();
    storage.create(BucketInfo.of(MANY));
    storage.create(BucketInfo.of(TREE));
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<Blob>> uploads = new ArrayList<>();
      for (int i = 0; i < COUNT; i++) {
        String name = String.format("rows/%05d.json", i);
        uploads.add(
            pool.submit(
                () -> storage.create(BlobInfo.newBuilder(MANY, name).build(), new byte[] {1})));
      }
      for (Future<Blob> upload : uploads) {
        upload.get(30, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    for (String name :
        List.of("a.txt", "dir/b.txt", "dir/c.txt", "dir/sub/d.txt", "dir2/e.txt", "z.txt")) {
      storage.create(
          BlobInfo.newBuilder(TREE, name).build(), name.getBytes(StandardCharsets.UTF_8));
    }
  }

  @AfterAll
  static void stop() {
    emulated.close();
  }

  @Test
  void iterateAllReturnsEveryObjectInNameOrderAcrossPages() {
    List<String> names =
        StreamSupport.stream(
                storage.list(MANY, BlobListOption.pageSize(700)).iterateAll().spliterator(), false)
            .map(Blob::getName)
            .toList();

    assertThat(names)
        .hasSize(COUNT)
        .isSorted()
        .doesNotHaveDuplicates()
        .containsExactlyElementsOf(
            IntStream.range(0, COUNT).mapToObj(i -> String.format("rows/%05d.json", i)).toList());
  }

  @Test
  void aPageHoldsAtMostPageSizeObjectsAndLinksToTheNext() {
    Page<Blob> first = storage.list(MANY, BlobListOption.pageSize(1000));
    Page<Blob> second = first.getNextPage();
    Page<Blob> third = second.getNextPage();

    assertThat(first.getValues()).hasSize(1000);
    assertThat(second.getValues()).hasSize(1000);
    assertThat(third.getValues()).hasSize(500);
    assertThat(third.hasNextPage()).isFalse();
    assertThat(second.getValues().iterator().next().getName()).isEqualTo("rows/01000.json");
  }

  @Test
  void withoutPageSizeTheServerPagesByAThousand() {
    Page<Blob> first = storage.list(MANY);

    assertThat(first.getValues()).hasSize(1000);
    assertThat(first.hasNextPage()).isTrue();
  }

  @Test
  void prefixSelectsNamesThatStartWithIt() {
    List<String> names = names(storage.list(MANY, BlobListOption.prefix("rows/0249")));

    assertThat(names)
        .containsExactly(
            "rows/02490.json",
            "rows/02491.json",
            "rows/02492.json",
            "rows/02493.json",
            "rows/02494.json",
            "rows/02495.json",
            "rows/02496.json",
            "rows/02497.json",
            "rows/02498.json",
            "rows/02499.json");
  }

  @Test
  void delimiterRollsNamesUpIntoPrefixes() {
    Page<Blob> top = storage.list(TREE, BlobListOption.currentDirectory());
    Page<Blob> dir =
        storage.list(TREE, BlobListOption.currentDirectory(), BlobListOption.prefix("dir/"));

    assertThat(top.iterateAll())
        .extracting(Blob::getName, Blob::isDirectory)
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple("a.txt", false),
            org.assertj.core.groups.Tuple.tuple("z.txt", false),
            org.assertj.core.groups.Tuple.tuple("dir/", true),
            org.assertj.core.groups.Tuple.tuple("dir2/", true));
    assertThat(dir.iterateAll())
        .extracting(Blob::getName, Blob::isDirectory)
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple("dir/b.txt", false),
            org.assertj.core.groups.Tuple.tuple("dir/c.txt", false),
            org.assertj.core.groups.Tuple.tuple("dir/sub/", true));
  }

  @Test
  void prefixesCountTowardsThePageSize() {
    List<String> names =
        names(storage.list(TREE, BlobListOption.currentDirectory(), BlobListOption.pageSize(1)));

    assertThat(names).containsExactly("a.txt", "dir/", "dir2/", "z.txt");
  }

  private static List<String> names(Page<Blob> page) {
    return StreamSupport.stream(page.iterateAll().spliterator(), false).map(Blob::getName).toList();
  }
}
