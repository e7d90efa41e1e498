package dev.slipway.cli.up;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LocalPathsTest {

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "''                                                   | true",
        "QUARKUS_HTTP_HOST=127.0.0.1                          | true",
        "QUARKUS_HTTP_HOST=localhost                          | true",
        "QUARKUS_HTTP_HOST=::1                                | true",
        "SLIPWAY_ROUTER_HOST=127.0.0.2                        | true",
        "QUARKUS_HTTP_HOST=0.0.0.0                            | false",
        "QUARKUS_HTTP_HOST=192.168.1.20                       | false",
        "QUARKUS_HTTP_HOST=my-laptop.lan                      | false",
        "SLIPWAY_ROUTER_HOST=0.0.0.0                          | false",
        "SLIPWAY_BUILDS_EXECUTOR=kubernetes                   | false",
        "SLIPWAY_TESTRUNS_EXECUTOR=kubernetes                 | false",
        "SLIPWAY_RUNTIME_KIND=kubernetes                      | false",
        "SLIPWAY_BUILDS_EXECUTOR=local                        | true",
        "QUARKUS_HTTP_HOST=0.0.0.0,SLIPWAY_OUTBOUND_ALLOW_LOCAL_PATHS=true | true",
        "SLIPWAY_RUNTIME_KIND=kubernetes,SLIPWAY_OUTBOUND_ALLOW_LOCAL_PATHS=true | true",
        "SLIPWAY_OUTBOUND_ALLOW_LOCAL_PATHS=false             | false",
      })
  void localPathsAreAllowedOnlyWhenNobodyElseCanReachTheStackUnlessSetExplicitly(
      String environment, boolean allowed) {
    Map<String, String> env = new HashMap<>();
    for (String pair : environment.split(",")) {
      if (!pair.isBlank()) {
        String[] kv = pair.split("=", 2);
        env.put(kv[0].trim(), kv[1].trim());
      }
    }
    LocalPaths decision = LocalPaths.decide(env::get);
    assertEquals(allowed, decision.allowed(), environment);
    String line = decision.announcement();
    assertTrue(
        line.contains(allowed ? "may be local paths" : "may not be local paths"),
        "slipway up says what it decided: " + line);
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "''                           | 127.0.0.1",
        "QUARKUS_HTTP_HOST=0.0.0.0    | 0.0.0.0",
      })
  void theServicesListenOnLoopbackUnlessTheEnvironmentChoosesAnotherAddress(
      String environment, String host) {
    Map<String, String> env = new HashMap<>();
    if (!environment.isBlank()) {
      String[] kv = environment.split("=", 2);
      env.put(kv[0], kv[1]);
    }
    assertEquals(host, LocalPaths.bindHost(env::get));
  }
}
