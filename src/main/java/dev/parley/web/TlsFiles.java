package dev.parley.web;

import io.vertx.core.Vertx;
import io.vertx.core.net.PemKeyCertOptions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import javax.net.ssl.KeyManager;
import javax.net.ssl.X509KeyManager;

/**
 * The PEM files the server serves TLS with ({@code https://} and {@code wss://} on its one port).
 *
 * @param cert the certificate chain, leaf first (PEM)
 * @param key the private key of the leaf certificate (PEM, PKCS#8 or PKCS#1, unencrypted)
 */
public record TlsFiles(Path cert, Path key) {
  public TlsFiles {
    Objects.requireNonNull(cert, "cert");
    Objects.requireNonNull(key, "key");
  }

  /**
   * The files as Vert.x key options, loaded now: an unreadable file, a malformed one, or a key
   * that is not the certificate's stops start-up, rather than every handshake failing later.
   *
   * @throws IllegalArgumentException saying which files and what is wrong with them
   */
  PemKeyCertOptions load(Vertx vertx) {
    PemKeyCertOptions pem = new PemKeyCertOptions().setCertPath(cert.toString()).setKeyPath(key.toString());
    try {
      KeyStore store = pem.loadKeyStore(vertx);
      X509KeyManager manager = x509(pem.getKeyManagerFactory(vertx).getKeyManagers());
      List<String> aliases = Collections.list(store.aliases());
      if (manager == null || aliases.isEmpty()) {
        throw refused("no key and certificate found in them", null);
      }
      for (String alias : aliases) {
        X509Certificate[] chain = manager.getCertificateChain(alias);
        PrivateKey privateKey = manager.getPrivateKey(alias);
        if (chain == null || chain.length == 0 || privateKey == null) {
          throw refused("no key and certificate found in them", null);
        }
        if (!matches(privateKey, chain[0])) {
          throw refused("the key is not the certificate's (its signature does not verify with the certificate's "
              + "public key)", null);
        }
      }
    } catch (IllegalArgumentException e) {
      throw e;
    } catch (Exception e) {
      throw refused(e.getMessage() == null ? e.toString() : e.getMessage(), e);
    }
    return pem;
  }

  private IllegalArgumentException refused(String why, Exception cause) {
    return new IllegalArgumentException("cannot serve TLS with certificate " + cert + " and key " + key + ": " + why,
        cause);
  }

  private static X509KeyManager x509(KeyManager[] managers) {
    for (KeyManager manager : managers) {
      if (manager instanceof X509KeyManager x509) {
        return x509;
      }
    }
    return null;
  }

  /** Whether the key signs what the certificate's public key verifies; true for a kind of key it cannot test. */
  private static boolean matches(PrivateKey privateKey, X509Certificate certificate) throws Exception {
    String algorithm = switch (privateKey.getAlgorithm()) {
      case "RSA" -> "SHA256withRSA";
      case "EC" -> "SHA256withECDSA";
      case "Ed25519", "Ed448", "EdDSA" -> privateKey.getAlgorithm();
      default -> null;
    };
    if (algorithm == null) {
      return true;
    }
    byte[] probe = "parley: does this key belong to this certificate?".getBytes(StandardCharsets.US_ASCII);
    Signature signer = Signature.getInstance(algorithm);
    signer.initSign(privateKey);
    signer.update(probe);
    byte[] signature = signer.sign();
    Signature verifier = Signature.getInstance(algorithm);
    try {
      verifier.initVerify(certificate.getPublicKey());
    } catch (java.security.InvalidKeyException e) {
      return false; // a key of another kind than the certificate's
    }
    verifier.update(probe);
    return verifier.verify(signature);
  }
}
