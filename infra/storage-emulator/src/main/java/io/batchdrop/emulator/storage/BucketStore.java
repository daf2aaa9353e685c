package io.batchdrop.emulator.storage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentNavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/**
 * The buckets and, per bucket, its live objects sorted by name (the order listings use). Creating
 * or deleting a bucket excludes every object write, so a bucket is never deleted while an object is
 * being written into it.
 */
final class BucketStore {
  private static final Pattern BUCKET_NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{1,220}[a-z0-9]");

  private final BlobStore blobs;
  private final ReadWriteLock lifecycle = new ReentrantReadWriteLock();
  private final ConcurrentHashMap<String, Entry> buckets = new ConcurrentHashMap<>();

  BucketStore(BlobStore blobs) {
    this.blobs = blobs;
  }

  Bucket create(String name, String location, String storageClass, Instant now) {
    if (name == null || !BUCKET_NAME.matcher(name).matches() || name.contains("..")) {
      throw ApiException.invalid("Invalid bucket name: '" + name + "'");
    }
    lifecycle.writeLock().lock();
    try {
      if (buckets.containsKey(name)) {
        throw ApiException.conflict(
            "Your previous request to create the named bucket succeeded and you already own it.");
      }
      Bucket bucket = Bucket.created(name, now, location, storageClass);
      blobs.createBucket(bucket);
      buckets.put(name, new Entry(bucket, new ConcurrentSkipListMap<>()));
      return bucket;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      lifecycle.writeLock().unlock();
    }
  }

  Bucket get(String name) {
    return entry(name).bucket();
  }

  /** Applies {@code change} to the bucket's current state and keeps the result. */
  Bucket update(String name, UnaryOperator<Bucket> change) {
    lifecycle.writeLock().lock();
    try {
      Entry entry = entry(name);
      Bucket changed = change.apply(entry.bucket());
      blobs.createBucket(changed);
      buckets.put(name, new Entry(changed, entry.objects()));
      return changed;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      lifecycle.writeLock().unlock();
    }
  }

  List<Bucket> list() {
    return buckets.values().stream()
        .map(Entry::bucket)
        .sorted(Comparator.comparing(Bucket::name))
        .toList();
  }

  void delete(String name) {
    lifecycle.writeLock().lock();
    try {
      Entry entry = entry(name);
      if (!entry.objects().isEmpty()) {
        throw ApiException.conflict("The bucket you tried to delete is not empty.");
      }
      blobs.removeBucket(name);
      buckets.remove(name);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      lifecycle.writeLock().unlock();
    }
  }

  /** Runs a change to a bucket's objects while the bucket is guaranteed to exist. */
  <T> T withObjects(
      String bucket, Function<ConcurrentNavigableMap<String, StoredObject>, T> change) {
    lifecycle.readLock().lock();
    try {
      return change.apply(entry(bucket).objects());
    } finally {
      lifecycle.readLock().unlock();
    }
  }

  /** A live, weakly consistent view for reads and listings. */
  ConcurrentNavigableMap<String, StoredObject> objects(String bucket) {
    return entry(bucket).objects();
  }

  void restore(BlobStore.Snapshot snapshot) {
    lifecycle.writeLock().lock();
    try {
      for (Bucket bucket : snapshot.buckets()) {
        buckets.putIfAbsent(bucket.name(), new Entry(bucket, new ConcurrentSkipListMap<>()));
      }
      for (BlobStore.LoadedObject loaded : snapshot.objects()) {
        ObjectKey key = loaded.meta().key();
        Entry entry = buckets.get(key.bucket());
        if (entry != null) {
          entry.objects().put(key.name(), new StoredObject(loaded.meta(), loaded.content()));
        }
      }
    } finally {
      lifecycle.writeLock().unlock();
    }
  }

  void clear() {
    lifecycle.writeLock().lock();
    try {
      blobs.clear();
      buckets.clear();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      lifecycle.writeLock().unlock();
    }
  }

  private Entry entry(String name) {
    Entry entry = buckets.get(name);
    if (entry == null) {
      throw ApiException.bucketNotFound(name);
    }
    return entry;
  }

  private record Entry(Bucket bucket, ConcurrentSkipListMap<String, StoredObject> objects) {}
}
