package io.batchdrop.emulator.storage;

import com.google.cloud.storage.BucketInfo;
import com.google.cloud.storage.Storage;
import java.util.List;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One in-memory emulator for a test class ({@link EmulatedStorage}), emptied before each test and
 * given the class's buckets again: the tests share the start-up, never each other's objects.
 * Register it as a static field; {@link #storage()} is there from the class's first test on.
 */
final class FreshBuckets implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback {
  private final List<String> buckets;
  private EmulatedStorage emulated;

  /** {@code buckets}: what each test finds, empty. */
  FreshBuckets(String... buckets) {
    this.buckets = List.of(buckets);
  }

  Storage storage() {
    return emulated.storage();
  }

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    emulated = EmulatedStorage.start(StorageEmulatorConfig.inMemory());
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    emulated.emulator().reset();
    for (String bucket : buckets) {
      emulated.storage().create(BucketInfo.of(bucket));
    }
  }

  @Override
  public void afterAll(ExtensionContext context) {
    emulated.close();
  }
}
