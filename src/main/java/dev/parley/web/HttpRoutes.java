package dev.parley.web;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parley.chat.ChatHub;
import dev.parley.chat.RoomNames;
import dev.parley.store.MessageStore;
import dev.parley.store.RoomSummary;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.StaticHandler;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/** The HTTP side: the browser client, the rooms API, health, readiness and metrics. */
final class HttpRoutes {
  static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
      + "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
      + "frame-ancestors 'none'";
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final Vertx vertx;
  private final MessageStore store;
  private final ChatHub hub;
  private final SessionCookies cookies;
  private final Readiness readiness;
  private final PrometheusMeterRegistry registry;
  private final HttpConnectionGuard guard;
  private final BiConsumer<HttpServerRequest, Boolean> upgrade;

  HttpRoutes(Vertx vertx, MessageStore store, ChatHub hub, SessionCookies cookies, Readiness readiness,
      PrometheusMeterRegistry registry, HttpConnectionGuard guard, BiConsumer<HttpServerRequest, Boolean> upgrade) {
    this.vertx = vertx;
    this.store = store;
    this.hub = hub;
    this.cookies = cookies;
    this.readiness = readiness;
    this.registry = registry;
    this.guard = guard;
    this.upgrade = upgrade;
  }

  Router router() {
    Router router = Router.router(vertx);
    router.route().handler(guard::request);
    router.route().handler(this::securityHeaders);
    router.get("/ws").handler(ctx -> upgrade.accept(ctx.request(), false));
    router.get("/chat").handler(ctx -> upgrade.accept(ctx.request(), true));
    router.get("/health").handler(ctx -> json(ctx, 200, "{\"status\":\"UP\"}"));
    router.get("/ready").handler(this::ready);
    router.get("/metrics").handler(ctx -> ctx.response()
        .putHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8").end(registry.scrape()));
    router.get("/api/rooms").handler(this::rooms);
    router.get("/api/rooms/:room/messages").handler(this::messages);
    router.get("/").handler(this::session);
    router.get("/index.html").handler(this::session);
    router.route().handler(StaticHandler.create("web").setCachingEnabled(false));
    router.route().last().handler(ctx -> ctx.response().setStatusCode(404)
        .putHeader("Content-Type", "text/plain; charset=utf-8").end("Not found.\n"));
    router.errorHandler(500, ctx -> ctx.response().setStatusCode(500)
        .putHeader("Content-Type", "text/plain; charset=utf-8").end("Internal error.\n"));
    return router;
  }

  private void securityHeaders(RoutingContext ctx) {
    ctx.response()
        .putHeader("Content-Security-Policy", CSP)
        .putHeader("X-Content-Type-Options", "nosniff")
        .putHeader("X-Frame-Options", "DENY")
        .putHeader("Referrer-Policy", "no-referrer");
    ctx.next();
  }

  /**
   * Gives a browser without a valid session cookie a new one, and renews a valid one, so that
   * a session in use never expires under its user (expiry counts from the last use).
   */
  private void session(RoutingContext ctx) {
    Cookie presented = ctx.request().getCookie(SessionCookies.NAME);
    boolean valid = presented != null && cookies.verify(presented.getValue()).isPresent();
    ctx.response().addCookie(Cookie.cookie(SessionCookies.NAME, valid ? presented.getValue() : cookies.issue())
        .setPath("/")
        .setHttpOnly(true)
        .setSameSite(CookieSameSite.LAX)
        .setMaxAge(SessionCookies.MAX_AGE_SECONDS)
        .setSecure(ctx.request().isSSL()));
    ctx.next();
  }

  private void ready(RoutingContext ctx) {
    readiness.failing().onComplete(result -> {
      List<String> failing = result.succeeded() ? result.result() : List.of("readiness check");
      if (failing.isEmpty()) {
        json(ctx, 200, "{\"status\":\"UP\"}");
      } else {
        json(ctx, 503, write(g -> {
          g.writeStringField("status", "DOWN");
          g.writeArrayFieldStart("failing");
          for (String part : failing) {
            g.writeString(part);
          }
          g.writeEndArray();
        }));
      }
    });
  }

  private void rooms(RoutingContext ctx) {
    Context here = vertx.getOrCreateContext();
    // The hub is asked on its own thread (this context), never on the store's.
    Future.fromCompletionStage(store.rooms(), here)
        .compose(rooms -> Future.fromCompletionStage(hub.memberCounts(rooms.stream().map(RoomSummary::name).toList()),
            here).map(counts -> Map.entry(rooms, counts)))
        .onComplete(result -> {
          if (result.failed()) {
            problem(ctx, 503, "unavailable", "the store or the broker is unavailable");
            return;
          }
          Map<String, Integer> members = result.result().getValue();
          json(ctx, 200, writeArray(g -> {
            for (RoomSummary room : result.result().getKey()) {
              g.writeStartObject();
              g.writeStringField("name", room.name());
              g.writeNumberField("members", members.getOrDefault(room.name(), 0));
              g.writeNumberField("lastId", room.lastId());
              g.writeEndObject();
            }
          }));
        });
  }

  private void messages(RoutingContext ctx) {
    String room = ctx.pathParam("room");
    Long before = number(ctx.queryParams().get("before"));
    Long limit = number(ctx.queryParams().get("limit"));
    if ((ctx.queryParams().contains("before") && (before == null || before < 1))
        || (ctx.queryParams().contains("limit") && (limit == null || limit < 1 || limit > 100))) {
      problem(ctx, 400, "bad_request", "before must be a whole number of 1 or more, limit one from 1 to 100");
      return;
    }
    if (!RoomNames.isValid(room)) {
      problem(ctx, 400, "invalid_room", "room names are 1 to 32 characters of a-z, 0-9, _ and -");
      return;
    }
    long upTo = before == null ? Long.MAX_VALUE : before;
    int count = limit == null ? 50 : limit.intValue();
    Future.fromCompletionStage(store.before(room, upTo, count), vertx.getOrCreateContext()).onComplete(result -> {
      if (result.failed()) {
        problem(ctx, 503, "unavailable", "the store is unavailable");
        return;
      }
      json(ctx, 200, write(g -> {
        g.writeStringField("room", room);
        boolean complete = JsonProtocol.messages(g, result.result().messages());
        g.writeBooleanField("more", result.result().more() || !complete);
      }));
    });
  }

  private static Long number(String value) {
    if (value == null) {
      return null;
    }
    try {
      return Long.parseLong(value);
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private static void problem(RoutingContext ctx, int status, String code, String words) {
    json(ctx, status, write(g -> {
      g.writeStringField("code", code);
      g.writeStringField("message", words);
    }));
  }

  private static void json(RoutingContext ctx, int status, String body) {
    ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(body);
  }

  private interface Fields {
    void write(JsonGenerator g) throws IOException;
  }

  private static String write(Fields fields) {
    return generate(fields, true);
  }

  private static String writeArray(Fields fields) {
    return generate(fields, false);
  }

  private static String generate(Fields fields, boolean object) {
    StringWriter out = new StringWriter();
    try (JsonGenerator g = MAPPER.getFactory().createGenerator(out)) {
      if (object) {
        g.writeStartObject();
      } else {
        g.writeStartArray();
      }
      fields.write(g);
      if (object) {
        g.writeEndObject();
      } else {
        g.writeEndArray();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }
}
