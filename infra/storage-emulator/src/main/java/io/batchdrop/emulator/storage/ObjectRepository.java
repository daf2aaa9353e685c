package io.batchdrop.emulator.storage;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * The rules of object versions: every write checks its preconditions and installs a new generation
 * atomically with respect to other requests for the same object, so two concurrent "must not exist"
 * creates cannot both succeed. Reads open the bytes under the same lock, so they always see the
 * version whose metadata they return.
 */
final class ObjectRepository {
  private static final int STRIPES = 256;

  private final BucketStore buckets;
  private final BlobStore blobs;
  private final GenerationClock clock;
  private final Consumer<ObjectMeta> onFinalize;
  private final ReentrantLock[] locks = new ReentrantLock[STRIPES];

  ObjectRepository(
      BucketStore buckets,
      BlobStore blobs,
      GenerationClock clock,
      Consumer<ObjectMeta> onFinalize) {
    this.buckets = buckets;
    this.blobs = blobs;
    this.clock = clock;
    this.onFinalize = onFinalize;
    for (int i = 0; i < STRIPES; i++) {
      locks[i] = new ReentrantLock();
    }
  }

  /** The live version's metadata, checked against an optional pinned generation and conditions. */
  ObjectMeta metadata(ObjectKey key, Long generation, Preconditions preconditions) {
    ObjectMeta meta = live(key, generation).meta();
    preconditions.checkForRead(meta);
    return meta;
  }

  /** Opens the live version's bytes within {@code range} (null: everything). */
  OpenedObject open(ObjectKey key, Long generation, Preconditions preconditions, ByteRange range) {
    ReentrantLock lock = lockFor(key);
    lock.lock();
    try {
      StoredObject object = live(key, generation);
      ObjectMeta meta = object.meta();
      preconditions.checkForRead(meta);
      ByteRange.Resolved resolved =
          range == null || meta.size() == 0 ? null : range.resolve(meta.size());
      InputStream stream = object.content().open(resolved == null ? 0 : resolved.first());
      return new OpenedObject(meta, resolved, stream);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      lock.unlock();
    }
  }

  /**
   * Makes the buffer's bytes a new generation of {@code key} if the preconditions hold against the
   * live version, and announces it as finalized.
   */
  ObjectMeta commit(ObjectKey key, BlobBuffer buffer, NewVersion version) {
    ObjectLimits.checkName(key.name());
    ObjectLimits.checkMetadata(version.attributes().metadata());
    Checksums.Digests digests;
    try {
      digests = buffer.finish();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    version.expectedHashes().verify(digests);
    ObjectMeta committed =
        buckets.withObjects(
            key.bucket(),
            objects -> {
              ReentrantLock lock = lockFor(key);
              lock.lock();
              try {
                StoredObject current = objects.get(key.name());
                version
                    .preconditions()
                    .checkForWrite(Optional.ofNullable(current).map(StoredObject::meta));
                Instant now = clock.now();
                ObjectAttributes attributes = version.attributes();
                if (attributes.storageClass() == null) {
                  attributes =
                      attributes.withStorageClass(buckets.get(key.bucket()).storageClass());
                }
                ObjectMeta meta =
                    new ObjectMeta(
                        key,
                        clock.next(),
                        1,
                        digests.size(),
                        version.componentCount() == null ? digests.md5Hash() : null,
                        digests.crc32c(),
                        version.componentCount(),
                        attributes,
                        now,
                        now);
                BlobContent content = blobs.install(key, buffer);
                blobs.saveMetadata(meta);
                objects.put(key.name(), new StoredObject(meta, content));
                return meta;
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              } finally {
                lock.unlock();
              }
            });
    onFinalize.accept(committed);
    return committed;
  }

  /** Changes the writable fields of the live version; bumps its metageneration. */
  ObjectMeta patch(
      ObjectKey key,
      Long generation,
      Preconditions preconditions,
      UnaryOperator<ObjectAttributes> change) {
    return buckets.withObjects(
        key.bucket(),
        objects -> {
          ReentrantLock lock = lockFor(key);
          lock.lock();
          try {
            StoredObject current = live(key, generation);
            preconditions.checkForWrite(Optional.of(current.meta()));
            ObjectAttributes changed = change.apply(current.meta().attributes());
            ObjectLimits.checkMetadata(changed.metadata());
            ObjectMeta patched = current.meta().withAttributes(changed, clock.now());
            blobs.saveMetadata(patched);
            objects.put(key.name(), new StoredObject(patched, current.content()));
            return patched;
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          } finally {
            lock.unlock();
          }
        });
  }

  void delete(ObjectKey key, Long generation, Preconditions preconditions) {
    buckets.withObjects(
        key.bucket(),
        objects -> {
          ReentrantLock lock = lockFor(key);
          lock.lock();
          try {
            StoredObject current = live(key, generation);
            preconditions.checkForWrite(Optional.of(current.meta()));
            objects.remove(key.name());
            blobs.remove(key);
            return null;
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          } finally {
            lock.unlock();
          }
        });
  }

  /** Checks conditions for a write that will happen later (e.g. when a resumable upload starts). */
  void checkWritable(ObjectKey key, Preconditions preconditions) {
    StoredObject current = buckets.objects(key.bucket()).get(key.name());
    preconditions.checkForWrite(Optional.ofNullable(current).map(StoredObject::meta));
  }

  private StoredObject live(ObjectKey key, Long generation) {
    StoredObject object = buckets.objects(key.bucket()).get(key.name());
    if (object == null || (generation != null && object.meta().generation() != generation)) {
      throw ApiException.objectNotFound(key);
    }
    return object;
  }

  private ReentrantLock lockFor(ObjectKey key) {
    return locks[Math.floorMod(key.hashCode(), STRIPES)];
  }

  /** An open read: the version read, the range served (null: all of it) and its bytes. */
  record OpenedObject(ObjectMeta meta, ByteRange.Resolved range, InputStream stream) {}

  /** What a write wants the new version to be, and under which conditions. */
  record NewVersion(
      ObjectAttributes attributes,
      Preconditions preconditions,
      ExpectedHashes expectedHashes,
      Integer componentCount) {

    static NewVersion of(ObjectAttributes attributes, Preconditions preconditions) {
      return new NewVersion(attributes, preconditions, ExpectedHashes.NONE, null);
    }

    NewVersion expecting(ExpectedHashes hashes) {
      return new NewVersion(attributes, preconditions, hashes, componentCount);
    }
  }
}
