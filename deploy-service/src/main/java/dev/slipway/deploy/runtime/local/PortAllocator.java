package dev.slipway.deploy.runtime.local;

import dev.slipway.deploy.runtime.local.LocalRuntimeSettings.Ports;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.Set;

/**
 * Hands out ports for processes to listen on, never the same one twice while it is held, because a
 * port is only known to be taken once its process has bound it.
 */
final class PortAllocator {
  private static final int ANY_FREE_ATTEMPTS = 100;

  private final Ports ports;
  private final Set<Integer> held = new HashSet<>();
  private int next;

  PortAllocator(Ports ports) {
    this.ports = ports;
    this.next = ports.first();
  }

  synchronized int allocate() {
    if (ports.isAnyFree()) {
      for (int attempt = 0; attempt < ANY_FREE_ATTEMPTS; attempt++) {
        int port = probe(0);
        if (port > 0 && held.add(port)) {
          return port;
        }
      }
      throw new IllegalStateException("no free port found");
    }
    int size = ports.last() - ports.first() + 1;
    for (int i = 0; i < size; i++) {
      int candidate = next;
      next = candidate == ports.last() ? ports.first() : candidate + 1;
      if (!held.contains(candidate) && probe(candidate) == candidate) {
        held.add(candidate);
        return candidate;
      }
    }
    throw new IllegalStateException(
        "no free port in " + ports.first() + ".." + ports.last() + " (" + held.size() + " held)");
  }

  synchronized void release(int port) {
    held.remove(port);
  }

  /** Binds the wildcard address, as most servers do, so a port any interface uses is skipped. */
  private static int probe(int port) {
    try (ServerSocket socket = new ServerSocket()) {
      socket.setReuseAddress(true);
      socket.bind(new InetSocketAddress(port));
      return socket.getLocalPort();
    } catch (IOException e) {
      return -1;
    }
  }
}
