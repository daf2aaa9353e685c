package io.batchdrop.emulator.storage;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.List;

/** Keeps object bytes on the heap; nothing survives the process. */
final class MemoryBlobStore implements BlobStore {

  @Override
  public BlobBuffer newBuffer() {
    return new MemoryBuffer();
  }

  @Override
  public BlobContent install(ObjectKey key, BlobBuffer buffer) {
    byte[] bytes = ((MemoryBuffer) buffer).toByteArray();
    return offset -> {
      ByteArrayInputStream in = new ByteArrayInputStream(bytes);
      in.skipNBytes(Math.min(offset, bytes.length));
      return in;
    };
  }

  @Override
  public void saveMetadata(ObjectMeta meta) {}

  @Override
  public void remove(ObjectKey key) {}

  @Override
  public void createBucket(Bucket bucket) {}

  @Override
  public void removeBucket(String bucket) {}

  @Override
  public Snapshot load() {
    return new Snapshot(List.of(), List.of());
  }

  @Override
  public void clear() {}

  @Override
  public void close() {}

  private static final class MemoryBuffer implements BlobBuffer {
    private final Checksums checksums = new Checksums();
    private byte[] bytes = new byte[8192];
    private int size;

    @Override
    public synchronized void append(InputStream in) throws IOException {
      while (true) {
        if (size == bytes.length) {
          if (bytes.length == Integer.MAX_VALUE - 8) {
            throw ApiException.invalid("object too large for the in-memory emulator");
          }
          bytes =
              Arrays.copyOf(bytes, (int) Math.min((long) bytes.length * 2, Integer.MAX_VALUE - 8));
        }
        int read = in.read(bytes, size, bytes.length - size);
        if (read < 0) {
          return;
        }
        checksums.update(bytes, size, read);
        size += read;
      }
    }

    @Override
    public synchronized long size() {
      return size;
    }

    @Override
    public synchronized Checksums.Digests finish() {
      return checksums.finish();
    }

    synchronized byte[] toByteArray() {
      return Arrays.copyOf(bytes, size);
    }

    @Override
    public void close() {}
  }
}
