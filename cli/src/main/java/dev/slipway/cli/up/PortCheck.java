package dev.slipway.cli.up;

import dev.slipway.cli.CliException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.Map;

/** Tells, before anything starts, which configured port another program already holds. */
public final class PortCheck {

  private PortCheck() {}

  /** Whether nothing listens on {@code port} on any local address. */
  public static boolean isFree(int port) {
    try (ServerSocket socket = new ServerSocket()) {
      // As the servers themselves bind: sockets of a just-stopped stack in TIME_WAIT are no
      // obstacle, only a listener is.
      socket.setReuseAddress(true);
      socket.bind(new InetSocketAddress(port));
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** Throws naming the first port in use and what it was meant for. */
  public static void requireFree(Map<String, Integer> portsByUse) {
    portsByUse.forEach(
        (use, port) -> {
          if (!isFree(port)) {
            throw new CliException(
                "port " + port + " is in use (" + use + "): set --ports or stop what uses it");
          }
        });
  }
}
