package io.batchdrop.emulator.storage;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * The few ASN.1 DER encodings an X.509 certificate needs (X.690 §8, §10). The JDK can sign and
 * parse certificates but has no public API to build one, and a certificate generated at every start
 * must not cost a keytool JVM.
 */
final class Der {
  private static final DateTimeFormatter UTC_TIME =
      DateTimeFormatter.ofPattern("yyMMddHHmmss'Z'").withZone(ZoneOffset.UTC);
  private static final DateTimeFormatter GENERALIZED_TIME =
      DateTimeFormatter.ofPattern("yyyyMMddHHmmss'Z'").withZone(ZoneOffset.UTC);

  private Der() {}

  static byte[] sequence(byte[]... items) {
    return tagged(0x30, concat(items));
  }

  static byte[] set(byte[]... items) {
    return tagged(0x31, concat(items));
  }

  static byte[] integer(BigInteger value) {
    return tagged(0x02, value.toByteArray());
  }

  static byte[] bool(boolean value) {
    return tagged(0x01, new byte[] {(byte) (value ? 0xFF : 0x00)});
  }

  static byte[] octetString(byte[] value) {
    return tagged(0x04, value);
  }

  /** A BIT STRING of whole bytes whose last {@code unusedBits} bits are padding. */
  static byte[] bitString(byte[] value, int unusedBits) {
    byte[] content = new byte[value.length + 1];
    content[0] = (byte) unusedBits;
    System.arraycopy(value, 0, content, 1, value.length);
    return tagged(0x03, content);
  }

  static byte[] utf8String(String value) {
    return tagged(0x0C, value.getBytes(StandardCharsets.UTF_8));
  }

  /** UTCTime until 2049, GeneralizedTime from 2050 on (RFC 5280 §4.1.2.5). */
  static byte[] time(Instant instant) {
    int year = instant.atZone(ZoneOffset.UTC).getYear();
    return year < 2050
        ? tagged(0x17, UTC_TIME.format(instant).getBytes(StandardCharsets.US_ASCII))
        : tagged(0x18, GENERALIZED_TIME.format(instant).getBytes(StandardCharsets.US_ASCII));
  }

  static byte[] oid(String dotted) {
    String[] arcs = dotted.split("\\.");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    base128(out, Long.parseLong(arcs[0]) * 40 + Long.parseLong(arcs[1]));
    for (int i = 2; i < arcs.length; i++) {
      base128(out, Long.parseLong(arcs[i]));
    }
    return tagged(0x06, out.toByteArray());
  }

  /** {@code [n] EXPLICIT}: the encoding wrapped in a constructed context-specific tag. */
  static byte[] explicit(int tagNumber, byte[] encoding) {
    return tagged(0xA0 | tagNumber, encoding);
  }

  /** {@code [n] IMPLICIT} of a primitive type: the content under a context-specific tag. */
  static byte[] implicitPrimitive(int tagNumber, byte[] content) {
    return tagged(0x80 | tagNumber, content);
  }

  static byte[] tagged(int tag, byte[] content) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(content.length + 6);
    out.write(tag);
    int length = content.length;
    if (length < 0x80) {
      out.write(length);
    } else {
      int bytes = (Integer.SIZE - Integer.numberOfLeadingZeros(length) + 7) / 8;
      out.write(0x80 | bytes);
      for (int i = bytes - 1; i >= 0; i--) {
        out.write(length >>> (8 * i));
      }
    }
    out.writeBytes(content);
    return out.toByteArray();
  }

  private static void base128(ByteArrayOutputStream out, long value) {
    int groups = Math.max(1, (Long.SIZE - Long.numberOfLeadingZeros(value) + 6) / 7);
    for (int i = groups - 1; i >= 0; i--) {
      int group = (int) ((value >>> (7 * i)) & 0x7F);
      out.write(i == 0 ? group : group | 0x80);
    }
  }

  private static byte[] concat(byte[]... items) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] item : items) {
      out.writeBytes(item);
    }
    return out.toByteArray();
  }
}
