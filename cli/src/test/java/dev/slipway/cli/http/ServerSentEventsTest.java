package dev.slipway.cli.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ServerSentEventsTest {

  @Test
  void dataLinesBecomeOneEventPerBlankLineAndOtherFieldsAreIgnored() {
    List<String> events = new ArrayList<>();
    ServerSentEvents sse = new ServerSentEvents(events::add);
    for (String line :
        List.of(
            ": comment",
            "data:-----> Node.js app detected",
            "",
            "id: 2",
            "data: a",
            "data: b",
            "")) {
      sse.accept(line);
    }
    sse.accept("data:last without blank line");
    sse.end();
    assertEquals(List.of("-----> Node.js app detected", "a\nb", "last without blank line"), events);
  }

  @Test
  void anApiErrorShowsItsMessageAndOtherFailuresTheirStatus() {
    assertEquals(
        "role: must be viewer, developer or admin",
        ApiClient.failure(
                400, "{\"status\":400,\"message\":\"role: must be viewer, developer or admin\"}")
            .getMessage());
    assertEquals(401, ((ApiException) ApiClient.failure(401, "")).status());
    assertEquals("the server answered HTTP 502", ApiClient.failure(502, "<html>").getMessage());
  }
}
