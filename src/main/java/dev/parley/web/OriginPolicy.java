package dev.parley.web;

import java.net.URI;
import java.util.Locale;
import java.util.Set;

/**
 * Which pages may open a WebSocket: those served by this host, and configured extra origins.
 * Cookie sessions would otherwise let any site act as its visitors (cross-site WebSocket hijacking).
 */
final class OriginPolicy {
  private final Set<String> allowed;

  OriginPolicy(Set<String> allowed) {
    this.allowed = Set.copyOf(allowed);
  }

  /**
   * @param origin the request's Origin header, or {@code null}
   * @param host the request's Host header
   * @param secure whether the request came over TLS (which default port Host may omit)
   */
  boolean permits(String origin, String host, boolean secure) {
    if (origin == null) {
      return true;
    }
    if (allowed.contains(origin)) {
      return true;
    }
    if (host == null) {
      return false;
    }
    String originAuthority = authorityOf(origin);
    String hostAuthority = withoutDefaultPort(host.toLowerCase(Locale.ROOT), secure ? "https" : "http");
    return originAuthority != null && originAuthority.equals(hostAuthority);
  }

  /** An origin's host[:port], lower-cased, with its scheme's default port dropped. */
  private static String authorityOf(String origin) {
    try {
      URI uri = new URI(origin);
      if (uri.getHost() == null || uri.getScheme() == null) {
        return null;
      }
      String host = uri.getHost().toLowerCase(Locale.ROOT);
      int port = uri.getPort();
      String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
      return withoutDefaultPort(port < 0 ? host : host + ":" + port, scheme);
    } catch (Exception e) {
      return null;
    }
  }

  private static String withoutDefaultPort(String authority, String scheme) {
    if (authority.endsWith(":80") && (scheme.equals("http") || scheme.equals("ws"))) {
      return authority.substring(0, authority.length() - 3);
    }
    if (authority.endsWith(":443") && (scheme.equals("https") || scheme.equals("wss"))) {
      return authority.substring(0, authority.length() - 4);
    }
    return authority;
  }
}
