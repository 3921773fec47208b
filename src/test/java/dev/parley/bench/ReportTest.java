package dev.parley.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class ReportTest {

  @Test
  void theResultLineIsOneJsonObjectAfterItsPrefix() throws Exception {
    String line = new Report("fanout").put("scenario", "fanout").put("clients", 1000).put("p99_ms", 12.5).resultLine();
    assertTrue(line.startsWith("RESULT {"), line);
    assertEquals(-1, line.indexOf('\n'));
    JsonNode json = new ObjectMapper().readTree(line.substring("RESULT ".length()));
    assertEquals("fanout", json.get("scenario").asText());
    assertEquals(1000, json.get("clients").asInt());
    assertEquals(12.5, json.get("p99_ms").asDouble());
  }

  @Test
  void theTableRightAlignsNumbersWithGroupedThousands() {
    String table = new Report("title").put("delivered", 1234567).put("p99_ms", 12.345).put("label", "parley").table();
    assertEquals(String.join("\n",
        "title",
        "  delivered  1,234,567",
        "  p99_ms          12.3",
        "  label      parley",
        ""), table);
  }

  @Test
  void measuredNumbersKeepAboutThreeSignificantDigits() {
    assertEquals("40,000", Report.number(39999.7));
    assertEquals("123", Report.number(123.4));
    assertEquals("18.2", Report.number(18.24));
    assertEquals("1.05", Report.number(1.049));
    assertEquals("0.886", Report.number(0.8861));
    assertEquals("0.00", Report.number(0));
  }

  @Test
  void latencyPercentilesAreReportedInMillisecondsFromMicroseconds() {
    Histogram micros = new Histogram(3);
    for (int i = 1; i <= 100; i++) {
      micros.recordValue(i * 1000L); // 1 ms … 100 ms
    }
    LatencySummary summary = LatencySummary.of(micros);
    assertEquals(100, summary.count());
    assertEquals(50.0, summary.p50(), 0.1);
    assertEquals(99.0, summary.p99(), 0.1);
    assertEquals(100.0, summary.max(), 0.1);
    assertEquals("p50 50.0 ms, p99 99.0 ms", summary.brief());
  }

  @Test
  void anEmptyHistogramSaysSoRatherThanReportingZeros() {
    assertEquals("no latencies yet", LatencySummary.of(new Histogram(3)).brief());
  }
}
