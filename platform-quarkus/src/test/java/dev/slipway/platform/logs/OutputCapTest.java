package dev.slipway.platform.logs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The byte and line cap of user output, and the bounded tail of endless output. */
class OutputCapTest {

  @Test
  void linesPassUntilTheByteCapThenOneNoticeThenNothing() {
    OutputCap cap = new OutputCap(10, 1000);

    assertEquals("abcd", cap.admit("abcd"));
    assertEquals("efgh", cap.admit("efgh"));
    assertFalse(cap.reached());
    assertEquals("-----> output truncated: over 10 bytes; the rest was discarded", cap.admit("ij"));
    assertNull(cap.admit("k"));
    assertTrue(cap.reached());
    assertEquals("output over 10 bytes", cap.reason());
  }

  @Test
  void theLineCapStopsManyShortLines() {
    OutputCap cap = new OutputCap(4L * 1024 * 1024, 3);
    List<String> kept = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      String line = cap.admit("y");
      if (line != null) {
        kept.add(line);
      }
    }
    assertEquals(
        List.of("y", "y", "y", "-----> output truncated: over 3 lines; the rest was discarded"),
        kept);
    assertEquals("output over 3 lines", cap.reason());
  }

  @Test
  void multiByteCharactersCountInUtf8() {
    OutputCap cap = new OutputCap(7, 100);
    assertEquals("ééé", cap.admit("ééé")); // 6 bytes + line end
    assertTrue(cap.admit("x").startsWith(OutputCap.NOTICE_PREFIX));
  }

  @ParameterizedTest(name = "{0} bytes read as {1}")
  @CsvSource({"4194304, 4 MB", "8388608, 8 MB", "262144, 256 KB", "1000, 1000 bytes"})
  void capsAreDescribedInWholeUnits(long bytes, String text) {
    assertEquals(text, OutputCap.describe(bytes));
  }

  @Test
  void tailKeepsTheLastLinesWithinItsBytesAndStartsWithANoticeOnceSomeWereDropped() {
    OutputTail tail = new OutputTail(100, 20);
    tail.add("first-line");
    tail.add("second");
    assertEquals(List.of("first-line", "second"), tail.last(100));

    tail.add("third-line");

    assertTrue(tail.dropped());
    List<String> lines = tail.last(100);
    assertTrue(lines.get(0).startsWith("-----> output truncated: earlier lines were discarded"));
    assertEquals(List.of("second", "third-line"), lines.subList(1, lines.size()));
    assertEquals(List.of("third-line"), tail.last(1), "a short tail has no notice");
  }

  @Test
  void tailKeepsAtMostItsLineCount() {
    OutputTail tail = new OutputTail(3, 1_000_000);
    for (int i = 0; i < 10; i++) {
      tail.add("line " + i);
    }
    assertEquals(3, tail.size());
    assertEquals(List.of("line 8", "line 9"), tail.last(2));
  }
}
