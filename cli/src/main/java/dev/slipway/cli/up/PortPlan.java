package dev.slipway.cli.up;

import dev.slipway.cli.config.Service;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The ports of one installation: the services at {@code base}..{@code base+3}, Kafka at {@code
 * base+10}, PostgreSQL at {@code base+11}, and the app router at 5000 unless a base was chosen,
 * then at {@code base+4}.
 */
public record PortPlan(int base, int router) {

  public static final int DEFAULT_ROUTER_PORT = 5000;

  public static PortPlan of(int base) {
    return new PortPlan(base, base == Service.DEFAULT_BASE_PORT ? DEFAULT_ROUTER_PORT : base + 4);
  }

  public int service(Service s) {
    return s.port(base);
  }

  public int kafka() {
    return base + 10;
  }

  public int postgres() {
    return base + 11;
  }

  /** Every port with what it is for, in start order. */
  public Map<String, Integer> all() {
    Map<String, Integer> ports = new LinkedHashMap<>();
    ports.put("Kafka", kafka());
    ports.put("PostgreSQL", postgres());
    for (Service s : Service.values()) {
      ports.put(s.serviceName(), service(s));
    }
    ports.put("app router", router);
    return ports;
  }
}
