package dev.parley.web;

import java.nio.ByteBuffer;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The {@code parley_sid} cookie: a random 128-bit session id, signed with HMAC-SHA256 under a
 * secret kept in the store, so every node sharing the store can verify it and nobody can
 * make one up.
 */
final class SessionCookies {
  static final String NAME = "parley_sid";
  static final long MAX_AGE_SECONDS = 30L * 24 * 3600;
  private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
  private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

  private final SecretKeySpec key;
  private final SecureRandom random = new SecureRandom();

  SessionCookies(byte[] secret) {
    this.key = new SecretKeySpec(secret, "HmacSHA256");
  }

  /** A new signed cookie value. */
  String issue() {
    byte[] id = new byte[16];
    random.nextBytes(id);
    String sid = ENCODER.encodeToString(id);
    return sid + "." + ENCODER.encodeToString(sign(sid));
  }

  /** The session id of a cookie value, if its signature is right; anything else is absent. */
  Optional<String> verify(String value) {
    if (value == null) {
      return Optional.empty();
    }
    int dot = value.indexOf('.');
    if (dot <= 0 || value.length() > 200) {
      return Optional.empty();
    }
    String sid = value.substring(0, dot);
    byte[] signature;
    try {
      signature = DECODER.decode(value.substring(dot + 1));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
    return MessageDigest.isEqual(sign(sid), signature) ? Optional.of(sid) : Optional.empty();
  }

  private byte[] sign(String sid) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(key);
      return mac.doFinal(ByteBuffer.wrap(sid.getBytes(java.nio.charset.StandardCharsets.US_ASCII)).array());
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException("HmacSHA256 is unavailable", e);
    }
  }
}
