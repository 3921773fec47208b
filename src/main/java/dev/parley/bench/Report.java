package dev.parley.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A scenario's results in order of insertion, printed twice: as an aligned table for people,
 * and as one {@code RESULT {json}} line for scripts ({@code grep '^RESULT '}).
 */
final class Report {
  static final String PREFIX = "RESULT ";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final String title;
  private final Map<String, Object> values = new LinkedHashMap<>();

  Report(String title) {
    this.title = title;
  }

  Report put(String key, Object value) {
    values.put(key, value);
    return this;
  }

  /** The table: the title, then one {@code key  value} row per entry, numbers right-aligned. */
  String table() {
    int keyWidth = 0;
    int valueWidth = 0;
    for (Map.Entry<String, Object> e : values.entrySet()) {
      keyWidth = Math.max(keyWidth, e.getKey().length());
      valueWidth = Math.max(valueWidth, format(e.getValue()).length());
    }
    StringBuilder b = new StringBuilder(title).append('\n');
    for (Map.Entry<String, Object> e : values.entrySet()) {
      String v = format(e.getValue());
      b.append("  ").append(e.getKey()).append(" ".repeat(keyWidth - e.getKey().length() + 2));
      if (e.getValue() instanceof Number) {
        b.append(" ".repeat(valueWidth - v.length()));
      }
      b.append(v).append('\n');
    }
    return b.toString();
  }

  /** The machine-readable line: {@code RESULT } and the values as one JSON object. */
  String resultLine() {
    try {
      return PREFIX + JSON.writeValueAsString(values);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e); // plain numbers and strings always serialize
    }
  }

  void print(PrintStream out) {
    out.print(table());
    out.println(resultLine());
    out.flush();
  }

  static String format(Object value) {
    if (value instanceof Double || value instanceof Float) {
      return number(((Number) value).doubleValue());
    } else if (value instanceof Number) {
      return String.format(Locale.ROOT, "%,d", ((Number) value).longValue());
    }
    return String.valueOf(value);
  }

  /** A measured quantity: grouped thousands, about three significant digits below 100. */
  static String number(double v) {
    if (Double.isNaN(v) || Double.isInfinite(v)) {
      return String.valueOf(v);
    }
    double a = Math.abs(v);
    if (a >= 100) {
      return String.format(Locale.ROOT, "%,.0f", v);
    } else if (a >= 10) {
      return String.format(Locale.ROOT, "%.1f", v);
    } else if (a >= 1 || a == 0) {
      return String.format(Locale.ROOT, "%.2f", v);
    }
    return String.format(Locale.ROOT, "%.3f", v);
  }

  /** Rounds for the JSON line (a figure, not a float artefact like 12.300000000001). */
  static double round(double v, int decimals) {
    double scale = Math.pow(10, decimals);
    return Math.round(v * scale) / scale;
  }
}
