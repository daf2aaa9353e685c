package io.batchdrop.publish;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/** A file of tens of MB described by its pieces and generated while read, never held whole. */
final class Generated {

  private record Piece(byte[] bytes, long repeat) {}

  private final List<Piece> pieces = new ArrayList<>();

  Generated text(String s) {
    pieces.add(new Piece(s.getBytes(UTF_8), 1));
    return this;
  }

  Generated repeat(String s, long times) {
    pieces.add(new Piece(s.getBytes(UTF_8), times));
    return this;
  }

  Generated append(Generated other) {
    pieces.addAll(other.pieces);
    return this;
  }

  long length() {
    long n = 0;
    for (Piece p : pieces) {
      n += p.bytes.length * p.repeat;
    }
    return n;
  }

  String sha256() {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      for (Piece p : pieces) {
        for (long i = 0; i < p.repeat; i++) {
          sha.update(p.bytes);
        }
      }
      return HexFormat.of().formatHex(sha.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
  }

  InputStream stream() {
    return new InputStream() {
      private int piece;
      private long round;
      private int at;

      @Override
      public int read() {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
      }

      @Override
      public int read(byte[] b, int off, int len) {
        int n = 0;
        while (n < len && piece < pieces.size()) {
          Piece p = pieces.get(piece);
          if (round >= p.repeat || p.bytes.length == 0) {
            piece++;
            round = 0;
            at = 0;
            continue;
          }
          int k = Math.min(len - n, p.bytes.length - at);
          System.arraycopy(p.bytes, at, b, off + n, k);
          n += k;
          at += k;
          if (at == p.bytes.length) {
            at = 0;
            round++;
          }
        }
        return n == 0 && len > 0 ? -1 : n;
      }
    };
  }
}
