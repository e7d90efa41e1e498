package dev.slipway.cli.http;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Assembles server-sent events from the stream's lines: {@code data:} lines joined by newlines,
 * dispatched at each blank line; comments and other fields are ignored.
 */
public final class ServerSentEvents implements Consumer<String> {

  private final Consumer<String> onEvent;
  private final List<String> data = new ArrayList<>();

  public ServerSentEvents(Consumer<String> onEvent) {
    this.onEvent = onEvent;
  }

  @Override
  public void accept(String line) {
    if (line.isEmpty()) {
      end();
    } else if (line.startsWith("data:")) {
      String value = line.substring(5);
      data.add(value.startsWith(" ") ? value.substring(1) : value);
    }
  }

  /** Dispatches what is pending, as the end of the stream does. */
  public void end() {
    if (!data.isEmpty()) {
      onEvent.accept(String.join("\n", data));
      data.clear();
    }
  }
}
