package dev.parley.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parley.testing.TestServer;
import dev.parley.testing.WsClient;
import io.vertx.core.http.ClientWebSocket;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.net.PemTrustOptions;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --tls-cert}/{@code --tls-key}: the server speaks only TLS on its port ({@code https://} and
 * {@code wss://}), with a self-signed certificate for 127.0.0.1 made at test time by openssl. The
 * clients trust exactly that certificate and verify the host name, so a handshake that passes
 * proves the configured certificate is the one served.
 */
@Timeout(60)
class TlsTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  @TempDir
  static Path dir;
  private static TlsFiles files;
  private static WebSocketClient wss;
  private static HttpClient https;

  private TestServer server;

  @BeforeAll
  static void makeCertificate() throws Exception {
    files = selfSigned(dir);
    wss = WsClient.vertx().createWebSocketClient(new WebSocketClientOptions()
        .setSsl(true)
        .setVerifyHost(true)
        .setTrustOptions(new PemTrustOptions().addCertPath(files.cert().toString())));
    https = HttpClient.newBuilder().sslContext(trusting(files.cert())).connectTimeout(Duration.ofSeconds(5)).build();
  }

  @AfterAll
  static void closeClients() throws Exception {
    if (wss != null) {
      wss.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  @BeforeEach
  void start() {
    server = TestServer.start(c -> new WebConfig(c.host(), c.port(), c.allowedOrigins(), c.chatLimits(),
        c.webLimits(), c.leaveGraceMillis(), c.shutdownMillis(), files, c.socketLoops()));
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void aWssClientIsGreetedJoinsSendsAndReceives() throws Exception {
    TlsSocket alice = TlsSocket.open(server.port(), new WebSocketConnectOptions());
    TlsSocket bob = TlsSocket.open(server.port(), new WebSocketConnectOptions());
    JsonNode hello = alice.await("hello");
    assertEquals(1, hello.path("protocol").asInt(), hello.toString());
    bob.await("hello");

    alice.send("{\"type\":\"join\",\"room\":\"general\",\"ref\":\"a1\"}");
    alice.await("joined");
    bob.send("{\"type\":\"join\",\"room\":\"general\",\"ref\":\"b1\"}");
    bob.await("joined");
    alice.send("{\"type\":\"send\",\"room\":\"general\",\"text\":\"over tls\",\"ref\":\"a2\"}");

    JsonNode ack = alice.await("ack");
    assertEquals("a2", ack.path("ref").asText(), ack.toString());
    JsonNode heard = bob.await("message");
    assertEquals("over tls", heard.path("text").asText(), heard.toString());
    assertEquals(hello.path("name").asText(), heard.path("from").asText(), heard.toString());
    alice.close();
    bob.close();
  }

  @Test
  void theSessionCookieIsSecureOverHttpsAndOpensTheSameSessionOverWss() throws Exception {
    HttpResponse<String> page = get("/");
    assertEquals(200, page.statusCode());
    String cookie = page.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith("parley_sid="))
        .findFirst().orElseThrow(() -> new AssertionError("no parley_sid over https: " + page.headers()));
    List<String> attributes = Arrays.stream(cookie.split(";")).skip(1)
        .map(a -> a.trim().toLowerCase(Locale.ROOT)).toList();
    assertTrue(attributes.contains("secure"), "Secure over TLS: " + cookie);
    assertTrue(attributes.contains("httponly"), cookie);
    assertTrue(attributes.contains("samesite=lax"), cookie);

    String pair = cookie.substring(0, cookie.indexOf(';'));
    TlsSocket first = TlsSocket.open(server.port(), new WebSocketConnectOptions().addHeader("Cookie", pair));
    TlsSocket second = TlsSocket.open(server.port(), new WebSocketConnectOptions().addHeader("Cookie", pair));
    assertEquals(first.await("hello").path("name").asText(), second.await("hello").path("name").asText(),
        "two wss tabs of one cookie are one user");
    first.close();
    second.close();
  }

  @Test
  void everyHttpsResponseCarriesTheSecurityHeaders() throws Exception {
    HttpResponse<String> missing = get("/no-such-page");
    assertEquals(404, missing.statusCode());
    assertTrue(missing.headers().firstValue("Content-Security-Policy").orElse("").contains("frame-ancestors 'none'"),
        missing.headers().toString());
    assertEquals("nosniff", missing.headers().firstValue("X-Content-Type-Options").orElse(null));
  }

  @Test
  void aPageOfThisHttpsOriginMayOpenASocketAndAForeignOneMayNot() throws Exception {
    String own = "https://127.0.0.1:" + server.port();
    TlsSocket allowed = TlsSocket.open(server.port(), new WebSocketConnectOptions().addHeader("Origin", own));
    allowed.await("hello");
    allowed.close();

    ExecutionException refused = assertThrows(ExecutionException.class, () -> wss.connect(
        options(server.port()).addHeader("Origin", "https://evil.example"))
        .toCompletionStage().toCompletableFuture().get(WsClient.WAIT.toSeconds(), TimeUnit.SECONDS));
    assertEquals(403, assertInstanceOf(UpgradeRejectedException.class, refused.getCause()).getStatus());
  }

  @Test
  void aPlainWsConnectionToTheTlsPortFails() throws Exception {
    ExecutionException failed = assertThrows(ExecutionException.class,
        () -> WsClient.open(server.port(), "/ws", new WebSocketConnectOptions())
            .get(WsClient.WAIT.toSeconds(), TimeUnit.SECONDS));
    assertFalse(failed.getCause() instanceof UpgradeRejectedException,
        "no HTTP answer at all, not a refused upgrade: " + failed.getCause());
    // The server is not upset by it: the next TLS client is served.
    TlsSocket after = TlsSocket.open(server.port(), new WebSocketConnectOptions());
    after.await("hello");
    after.close();
  }

  @Test
  void plainHttpToTheTlsPortGetsNoPage() {
    HttpClient plain = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/"))
        .timeout(WsClient.WAIT).GET().build();
    assertThrows(IOException.class, () -> plain.send(request, HttpResponse.BodyHandlers.ofString()));
  }

  @Test
  void aKeyThatIsNotTheCertificatesStopsStartUpInWords() throws Exception {
    TlsFiles other = selfSigned(Files.createDirectories(dir.resolve("other")));
    String why = startUpFailure(new TlsFiles(files.cert(), other.key()));
    assertTrue(why.contains("the key is not the certificate's") && why.contains(other.key().toString()), why);
  }

  @Test
  void aMalformedCertificateStopsStartUpInWords() throws Exception {
    Path broken = Files.writeString(dir.resolve("broken.pem"), "-----BEGIN CERTIFICATE-----\nnot base64\n");
    String why = startUpFailure(new TlsFiles(broken, files.key()));
    assertTrue(why.contains("cannot serve TLS with certificate " + broken), why);
  }

  /** The words of the failure of a server started with these files (it must not start). */
  private static String startUpFailure(TlsFiles tls) {
    IllegalStateException failed = assertThrows(IllegalStateException.class, () -> TestServer.start(c ->
        new WebConfig(c.host(), c.port(), c.allowedOrigins(), c.chatLimits(), c.webLimits(), c.leaveGraceMillis(),
            c.shutdownMillis(), tls)).close());
    StringBuilder words = new StringBuilder();
    for (Throwable t = failed; t != null; t = t.getCause()) {
      words.append(t.getMessage()).append(" / ");
    }
    return words.toString();
  }

  private HttpResponse<String> get(String path) throws Exception {
    HttpRequest request = HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + server.port() + path))
        .timeout(WsClient.WAIT).GET().build();
    return https.send(request, HttpResponse.BodyHandlers.ofString());
  }

  private static WebSocketConnectOptions options(int port) {
    return new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port).setURI("/ws").setSsl(true);
  }

  /** A self-signed certificate for 127.0.0.1 and localhost, valid for a day, made by openssl in {@code dir}. */
  static TlsFiles selfSigned(Path dir) throws Exception {
    Path cert = dir.resolve("cert.pem");
    Path key = dir.resolve("key.pem");
    Process openssl;
    try {
      openssl = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=localhost",
          "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost", "-keyout", key.toString(), "-out", cert.toString(),
          "-days", "1")
          .redirectErrorStream(true).start();
    } catch (IOException e) {
      throw new AssertionError("this test needs the openssl command to make a certificate; is it installed?", e);
    }
    openssl.getOutputStream().close();
    String output;
    try (InputStream out = openssl.getInputStream()) {
      output = new String(out.readAllBytes(), StandardCharsets.UTF_8);
    }
    if (!openssl.waitFor(30, TimeUnit.SECONDS)) {
      openssl.destroyForcibly();
      throw new AssertionError("openssl did not finish within 30 s");
    }
    if (openssl.exitValue() != 0 || !Files.isRegularFile(cert) || !Files.isRegularFile(key)) {
      throw new AssertionError("openssl could not make a certificate (exit " + openssl.exitValue() + "): " + output);
    }
    return new TlsFiles(cert, key);
  }

  /** An SSL context that trusts exactly the given PEM certificate. */
  private static SSLContext trusting(Path cert) throws Exception {
    KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
    store.load(null, null);
    try (InputStream in = Files.newInputStream(cert)) {
      store.setCertificateEntry("parley-test", CertificateFactory.getInstance("X.509").generateCertificate(in));
    }
    TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    trust.init(store);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, trust.getTrustManagers(), null);
    return context;
  }

  /** A {@code wss://} client that records text frames, with handlers set before the upgrade (hello comes at once). */
  private static final class TlsSocket {
    private final ClientWebSocket socket;
    private final LinkedBlockingQueue<String> frames = new LinkedBlockingQueue<>();

    private TlsSocket(ClientWebSocket socket) {
      this.socket = socket;
      socket.textMessageHandler(frames::add);
    }

    static TlsSocket open(int port, WebSocketConnectOptions options) throws Exception {
      TlsSocket client = new TlsSocket(wss.webSocket());
      options.setHost("127.0.0.1").setPort(port).setURI("/ws").setSsl(true);
      client.socket.connect(options).toCompletionStage().toCompletableFuture()
          .get(WsClient.WAIT.toSeconds(), TimeUnit.SECONDS);
      return client;
    }

    void send(String json) {
      socket.writeTextMessage(json);
    }

    /** Skips frames until one of the given type arrives; fails after {@link WsClient#WAIT}. */
    JsonNode await(String type) throws Exception {
      long deadline = System.nanoTime() + WsClient.WAIT.toNanos();
      while (true) {
        long left = deadline - System.nanoTime();
        String frame = left > 0 ? frames.poll(left, TimeUnit.NANOSECONDS) : null;
        if (frame == null) {
          throw new AssertionError("no '" + type + "' frame over wss within " + WsClient.WAIT);
        }
        JsonNode node = MAPPER.readTree(frame);
        if (type.equals(node.path("type").asText())) {
          return node;
        }
      }
    }

    void close() throws Exception {
      socket.close().toCompletionStage().toCompletableFuture().get(WsClient.WAIT.toSeconds(), TimeUnit.SECONDS);
    }
  }
}
