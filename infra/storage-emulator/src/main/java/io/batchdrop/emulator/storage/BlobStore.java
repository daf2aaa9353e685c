package io.batchdrop.emulator.storage;

import java.io.IOException;
import java.util.List;

/**
 * Where object bytes and metadata live: memory, or a directory a person can look at. The {@link
 * ObjectRepository} decides what happens (generations, preconditions, locking); a BlobStore only
 * keeps what it is told to.
 */
interface BlobStore extends AutoCloseable {

  BlobBuffer newBuffer() throws IOException;

  /** Makes the buffer's bytes the content of {@code key}, replacing any previous content. */
  BlobContent install(ObjectKey key, BlobBuffer buffer) throws IOException;

  /** Records the metadata of the version just installed or patched. */
  void saveMetadata(ObjectMeta meta) throws IOException;

  void remove(ObjectKey key) throws IOException;

  /** Records a new bucket, or the new state of a changed one. */
  void createBucket(Bucket bucket) throws IOException;

  void removeBucket(String bucket) throws IOException;

  /** What a previous run left behind: buckets, then objects with their content. */
  Snapshot load() throws IOException;

  /** Forgets every bucket and object. */
  void clear() throws IOException;

  @Override
  void close();

  /** One object found on start. */
  record LoadedObject(ObjectMeta meta, BlobContent content) {}

  /** What {@link #load()} found. */
  record Snapshot(List<Bucket> buckets, List<LoadedObject> objects) {}
}
