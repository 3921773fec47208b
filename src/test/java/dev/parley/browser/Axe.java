package dev.parley.browser;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * axe-core, the accessibility checker, from the npm registry: installed under {@code target/axe}
 * on first use (nothing is kept in the repository), injected into a page and run there.
 */
final class Axe {
  static final String VERSION = "4.14.1";
  private static final Path HOME = Path.of("target", "axe");
  private static final Path SCRIPT = HOME.resolve("node_modules/axe-core/axe.min.js");
  private static final Path PACKAGE = HOME.resolve("node_modules/axe-core/package.json");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static String source;

  /** One rule broken somewhere on the page. */
  record Violation(String id, String impact, String help, List<String> targets) {
    @Override
    public String toString() {
      return id + " (" + impact + "): " + help + " at " + targets;
    }
  }

  private Axe() {}

  /** Runs every axe rule on the page as it is now. */
  static List<Violation> run(Browser page) {
    if (!Boolean.TRUE.equals(page.js("return typeof window.axe?.run === 'function';"))) {
      page.js(script());
    }
    page.driver().manage().timeouts().scriptTimeout(java.time.Duration.ofSeconds(30));
    Object result = page.driver().executeAsyncScript(
        "const done = arguments[arguments.length - 1];"
            + "axe.run(document, {resultTypes: ['violations']})"
            + ".then(r => done(JSON.stringify(r.violations)), e => done('axe failed: ' + e));");
    String json = String.valueOf(result);
    if (json.startsWith("axe failed")) {
      throw new AssertionError(json);
    }
    List<Violation> violations = new ArrayList<>();
    try {
      for (JsonNode v : JSON.readTree(json)) {
        List<String> targets = new ArrayList<>();
        for (JsonNode node : v.path("nodes")) {
          targets.add(node.path("target").toString());
        }
        violations.add(new Violation(v.path("id").asText(), v.path("impact").asText(), v.path("help").asText(),
            targets));
      }
    } catch (IOException e) {
      throw new AssertionError("axe gave no readable result: " + json, e);
    }
    return violations;
  }

  private static synchronized String script() {
    if (source == null) {
      try {
        if (!installed()) {
          install();
        }
        source = Files.readString(SCRIPT, StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new AssertionError("could not read " + SCRIPT, e);
      }
    }
    return source;
  }

  private static boolean installed() throws IOException {
    return Files.isRegularFile(SCRIPT) && Files.isRegularFile(PACKAGE)
        && JSON.readTree(PACKAGE.toFile()).path("version").asText().equals(VERSION);
  }

  private static void install() throws IOException {
    Files.createDirectories(HOME);
    Path log = HOME.resolve("npm-install.log");
    ProcessBuilder npm = new ProcessBuilder("npm", "install", "--prefix", HOME.toString(), "--no-audit", "--no-fund",
        "--loglevel=error", "axe-core@" + VERSION)
        .redirectErrorStream(true).redirectOutput(log.toFile());
    Process process;
    try {
      process = npm.start();
    } catch (IOException e) {
      throw new AssertionError("the axe check needs npm (Debian's `npm` package) to fetch axe-core", e);
    }
    try {
      if (!process.waitFor(45, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new AssertionError("npm install axe-core@" + VERSION + " took over 45 s; see " + log);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
    if (process.exitValue() != 0 || !installed()) {
      throw new AssertionError("npm install axe-core@" + VERSION + " failed (exit " + process.exitValue() + "): "
          + Files.readString(log));
    }
  }
}
