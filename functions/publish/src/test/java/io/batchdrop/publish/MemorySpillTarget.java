package io.batchdrop.publish;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A spill target in memory. With {@code keepBytes} false it keeps only each object's size and
 * SHA-256, so a test can spill tens of MB without holding them.
 */
final class MemorySpillTarget implements SpillTarget {

  record Opened(long lineOffset, long row, URI uri) {}

  private final boolean keepBytes;
  final List<Opened> opened = new ArrayList<>();
  final Map<URI, Stored> objects = new LinkedHashMap<>();

  MemorySpillTarget(boolean keepBytes) {
    this.keepBytes = keepBytes;
  }

  MemorySpillTarget() {
    this(true);
  }

  @Override
  public Spill open(long lineOffset, long row) {
    URI uri = URI.create("mem://spill/" + lineOffset);
    opened.add(new Opened(lineOffset, row, uri));
    Stored stored = new Stored(keepBytes);
    objects.put(uri, stored);
    return new Spill(uri, stored);
  }

  String text(URI uri) {
    return new String(objects.get(uri).bytes.toByteArray(), StandardCharsets.UTF_8);
  }

  static final class Stored extends OutputStream {
    final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final boolean keep;
    private final MessageDigest sha;
    long size;
    boolean closed;

    Stored(boolean keep) {
      this.keep = keep;
      try {
        this.sha = MessageDigest.getInstance("SHA-256");
      } catch (NoSuchAlgorithmException e) {
        throw new AssertionError(e);
      }
    }

    @Override
    public void write(int b) {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) {
      if (closed) {
        throw new IllegalStateException("written after close");
      }
      size += len;
      sha.update(b, off, len);
      if (keep) {
        bytes.write(b, off, len);
      }
    }

    @Override
    public void close() throws IOException {
      closed = true;
    }

    String sha256() {
      return HexFormat.of().formatHex(((MessageDigest) cloneSha()).digest());
    }

    private Object cloneSha() {
      try {
        return sha.clone();
      } catch (CloneNotSupportedException e) {
        throw new AssertionError(e);
      }
    }
  }
}
