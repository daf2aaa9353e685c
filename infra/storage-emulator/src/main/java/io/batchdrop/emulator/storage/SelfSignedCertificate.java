package io.batchdrop.emulator.storage;

import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * A throwaway TLS identity for the emulator's HTTPS listener: an EC P-256 key made at start that
 * never leaves memory, and a self-signed certificate for it that clients are given as their CA
 * (gsutil's {@code ca_certificates_file}). The certificate is its own CA (basic constraints CA, key
 * usage keyCertSign) and names the loopback addresses, so strict verifiers (OpenSSL's X509_STRICT,
 * which Python 3.13 turns on) accept it as a trust anchor for 127.0.0.1.
 */
final class SelfSignedCertificate {
  /** Starts a little in the past so a client whose clock is behind still accepts it. */
  private static final Duration BACKDATE = Duration.ofDays(1);

  private static final Duration VALIDITY = Duration.ofDays(397);
  private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
  private static final char[] NO_PASSWORD = new char[0];

  private final KeyPair keys;
  private final X509Certificate certificate;

  private SelfSignedCertificate(KeyPair keys, X509Certificate certificate) {
    this.keys = keys;
    this.certificate = certificate;
  }

  /**
   * For localhost, 127.0.0.1, ::1 and {@code extraHosts} (host names or IP literals; wildcard
   * addresses are skipped, they are never dialled).
   */
  static SelfSignedCertificate generate(List<String> extraHosts, Instant now) {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"));
      KeyPair keys = generator.generateKeyPair();
      byte[] der = sign(keys, subjectAlternativeNames(extraHosts), now);
      X509Certificate certificate =
          (X509Certificate)
              CertificateFactory.getInstance("X.509")
                  .generateCertificate(new ByteArrayInputStream(der));
      certificate.verify(keys.getPublic());
      return new SelfSignedCertificate(keys, certificate);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("could not make the emulator's TLS certificate", e);
    }
  }

  X509Certificate certificate() {
    return certificate;
  }

  /** The certificate as PEM, what {@code ca_certificates_file} and {@code curl --cacert} read. */
  String pem() {
    try {
      return "-----BEGIN CERTIFICATE-----\n"
          + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
              .encodeToString(certificate.getEncoded())
          + "\n-----END CERTIFICATE-----\n";
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the certificate cannot be encoded", e);
    }
  }

  /** A server-side TLS context presenting this certificate. */
  SSLContext serverContext() {
    try {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      store.setKeyEntry(
          "emulator", keys.getPrivate(), NO_PASSWORD, new Certificate[] {certificate});
      KeyManagerFactory managers =
          KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      managers.init(store, NO_PASSWORD);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(managers.getKeyManagers(), null, new SecureRandom());
      return context;
    } catch (Exception e) {
      throw new IllegalStateException("could not build the TLS context", e);
    }
  }

  private static byte[] sign(KeyPair keys, List<byte[]> alternativeNames, Instant now)
      throws GeneralSecurityException {
    byte[] algorithm = Der.sequence(Der.oid("1.2.840.10045.4.3.2")); // ecdsa-with-SHA256
    byte[] name =
        Der.sequence(
            Der.set(
                Der.sequence(
                    Der.oid("2.5.4.3"), Der.utf8String("Batchdrop storage emulator (local)"))));
    byte[] publicKey = keys.getPublic().getEncoded(); // already a SubjectPublicKeyInfo
    byte[] keyId = MessageDigest.getInstance("SHA-1").digest(publicKey);
    byte[] serial = new byte[16];
    new SecureRandom().nextBytes(serial);
    Instant notBefore = now.minus(BACKDATE);
    byte[] tbs =
        Der.sequence(
            Der.explicit(0, Der.integer(BigInteger.TWO)), // v3
            Der.integer(new BigInteger(1, serial)),
            algorithm,
            name,
            Der.sequence(Der.time(notBefore), Der.time(notBefore.plus(VALIDITY))),
            name,
            publicKey,
            Der.explicit(
                3,
                Der.sequence(
                    extension("2.5.29.19", true, Der.sequence(Der.bool(true))), // CA
                    // digitalSignature (bit 0) and keyCertSign (bit 5): 1000 01xx
                    extension("2.5.29.15", true, Der.bitString(new byte[] {(byte) 0x84}, 2)),
                    extension(
                        "2.5.29.37", false, Der.sequence(Der.oid("1.3.6.1.5.5.7.3.1"))), // server
                    extension(
                        "2.5.29.17", false, Der.sequence(alternativeNames.toArray(byte[][]::new))),
                    extension("2.5.29.14", false, Der.octetString(keyId)),
                    extension("2.5.29.35", false, Der.sequence(Der.implicitPrimitive(0, keyId))))));
    Signature signer = Signature.getInstance("SHA256withECDSA");
    signer.initSign(keys.getPrivate());
    signer.update(tbs);
    return Der.sequence(tbs, algorithm, Der.bitString(signer.sign(), 0));
  }

  private static byte[] extension(String oid, boolean critical, byte[] value) {
    return critical
        ? Der.sequence(Der.oid(oid), Der.bool(true), Der.octetString(value))
        : Der.sequence(Der.oid(oid), Der.octetString(value));
  }

  private static List<byte[]> subjectAlternativeNames(List<String> extraHosts) {
    Set<String> hosts = new LinkedHashSet<>(List.of("localhost", "127.0.0.1", "::1"));
    for (String host : extraHosts) {
      String bare =
          host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
      if (!bare.equals("0.0.0.0") && !bare.equals("::") && !bare.isEmpty()) {
        hosts.add(bare);
      }
    }
    List<byte[]> names = new ArrayList<>();
    for (String host : hosts) {
      if (IPV4.matcher(host).matches() || host.contains(":")) {
        names.add(Der.implicitPrimitive(7, ipLiteral(host))); // iPAddress
      } else {
        names.add(Der.implicitPrimitive(2, host.getBytes(StandardCharsets.US_ASCII))); // dNSName
      }
    }
    return names;
  }

  private static byte[] ipLiteral(String literal) {
    try {
      // A literal is parsed, never looked up.
      return InetAddress.getByName(literal).getAddress();
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("not an IP address: " + literal, e);
    }
  }
}
