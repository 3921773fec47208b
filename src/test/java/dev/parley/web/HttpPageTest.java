package dev.parley.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.testing.Probe;
import dev.parley.testing.ServerPerTest;
import java.net.http.HttpResponse;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** GET /: the browser client, its security headers and the session cookie; and the 404 page. */
@Timeout(60)
class HttpPageTest extends ServerPerTest {
  /** The parley_sid Set-Cookie header of a response, if any. */
  private static Optional<String> sessionCookie(HttpResponse<String> response) {
    return response.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith("parley_sid=")).findFirst();
  }

  /** The attributes of a Set-Cookie header, lower-cased, without the name=value pair. */
  private static List<String> attributes(String setCookie) {
    return Arrays.stream(setCookie.split(";")).skip(1).map(a -> a.trim().toLowerCase(Locale.ROOT)).toList();
  }

  private static String value(String setCookie) {
    return setCookie.substring("parley_sid=".length(), setCookie.indexOf(';'));
  }

  @Test
  void thePageIsServedAsHtml() {
    HttpResponse<String> page = Probe.get(server, "/");
    assertEquals(200, page.statusCode(), "GET / (is src/main/resources/web/index.html there?)");
    assertTrue(page.headers().firstValue("Content-Type").orElse("").startsWith("text/html"),
        page.headers().firstValue("Content-Type").toString());
    assertTrue(page.body().toLowerCase(Locale.ROOT).contains("<html"), "an HTML document");
  }

  @Test
  void thePageForbidsFramingInlineScriptAndSniffing() {
    HttpResponse<String> page = Probe.get(server, "/");
    String csp = page.headers().firstValue("Content-Security-Policy").orElse("");
    assertTrue(csp.contains("frame-ancestors 'none'"), csp);
    assertTrue(csp.contains("script-src 'self'"), csp);
    assertFalse(csp.contains("unsafe-inline"), csp);
    assertFalse(csp.contains("unsafe-eval"), csp);
    assertEquals("nosniff", page.headers().firstValue("X-Content-Type-Options").orElse(null));
  }

  @Test
  void theFirstVisitGetsASignedHttpOnlySessionCookie() {
    HttpResponse<String> page = Probe.get(server, "/");
    String cookie = sessionCookie(page).orElseThrow(() -> new AssertionError("no parley_sid: " + page.headers()));
    List<String> attributes = attributes(cookie);
    assertTrue(attributes.contains("httponly"), cookie);
    assertTrue(attributes.contains("samesite=lax"), cookie);
    assertTrue(attributes.contains("path=/"), cookie);
    assertTrue(attributes.contains("max-age=2592000"), cookie);
    assertFalse(attributes.contains("secure"), "no Secure over plain HTTP: " + cookie);
    String value = value(cookie);
    String id = value.contains(".") ? value.substring(0, value.indexOf('.')) : value;
    assertTrue(Base64.getUrlDecoder().decode(id).length >= 16, "at least 128 random bits: " + value);
  }

  @Test
  void everyVisitorGetsADifferentSession() {
    String first = value(sessionCookie(Probe.get(server, "/")).orElseThrow());
    String second = value(sessionCookie(Probe.get(server, "/")).orElseThrow());
    assertNotEquals(first, second);
  }

  @Test
  void aVisitWithAValidCookieKeepsItsSession() {
    String value = value(sessionCookie(Probe.get(server, "/")).orElseThrow());
    HttpResponse<String> again = Probe.get(server, "/", "Cookie", "parley_sid=" + value);
    assertEquals(200, again.statusCode());
    // No new session: at most the same cookie again (a sliding refresh of its Max-Age).
    Optional<String> reissued = sessionCookie(again);
    reissued.ifPresent(c -> assertEquals(value, value(c), "the valid session is kept, not replaced"));
  }

  @Test
  void aTamperedCookieIsReplaced() {
    String value = value(sessionCookie(Probe.get(server, "/")).orElseThrow());
    // Change the signature's first character: a whole 6 bits of it (the last one carries padding bits too).
    int at = value.indexOf('.') + 1;
    String tampered = value.substring(0, at) + (value.charAt(at) == 'A' ? 'B' : 'A') + value.substring(at + 1);
    String fresh = value(sessionCookie(Probe.get(server, "/", "Cookie", "parley_sid=" + tampered))
        .orElseThrow(() -> new AssertionError("a tampered cookie is not adopted")));
    assertNotEquals(tampered, fresh);
    String otherId = (value.charAt(0) == 'A' ? "B" : "A") + value.substring(1);
    assertTrue(sessionCookie(Probe.get(server, "/", "Cookie", "parley_sid=" + otherId)).isPresent(),
        "an id changed under the same signature is not adopted");
    assertTrue(sessionCookie(Probe.get(server, "/", "Cookie", "parley_sid=made-up")).isPresent());
  }

  @Test
  void anUnknownPathIsA404ThatDoesNotReflectThePath() {
    HttpResponse<String> missing = Probe.get(server, "/no-such-page-7f3a");
    assertEquals(404, missing.statusCode());
    assertFalse(missing.body().contains("no-such-page-7f3a"), missing.body());
    HttpResponse<String> script = Probe.get(server, "/%3Cscript%3Ealert(1)%3C/script%3E");
    assertEquals(404, script.statusCode());
    assertFalse(script.body().toLowerCase(Locale.ROOT).contains("script"), script.body());
    assertFalse(script.body().contains("alert"), script.body());
    assertTrue(missing.headers().firstValue("Content-Security-Policy").orElse("").contains("frame-ancestors 'none'"));
    assertEquals("nosniff", missing.headers().firstValue("X-Content-Type-Options").orElse(null));
  }
}
