package dev.slipway.local;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Entry point of the broker's child JVM: formats the KRaft storage once, with the SCRAM credentials
 * of the admin and the services, then runs Kafka.
 */
public final class KafkaBrokerMain {

  private KafkaBrokerMain() {}

  /**
   * Arguments: the server.properties path, the cluster id, the log directory, the credentials file
   * (passwords are read from it, never passed as arguments).
   *
   * <p>The broker stops when its parent closes our stdin, so a killed parent never leaves an
   * orphaned broker holding the port and the data directory.
   */
  public static void main(String[] args) throws IOException {
    if (args.length != 4) {
      System.err.println(
          "usage: KafkaBrokerMain <server.properties> <cluster-id> <log-dir> <credentials-file>");
      System.exit(64);
    }
    watchParent(System.in);
    Path logDir = Path.of(args[2]);
    if (!Files.exists(logDir.resolve("meta.properties"))) {
      KafkaCredentials credentials = KafkaCredentials.open(Path.of(args[3]));
      List<String> format =
          new ArrayList<>(List.of("format", "-t", args[1], "-c", args[0], "--ignore-formatted"));
      for (String principal : credentials.scramPrincipals()) {
        format.add("--add-scram");
        format.add(
            KafkaCredentials.MECHANISM
                + "=[name="
                + principal
                + ",password="
                + credentials.password(principal)
                + ",iterations="
                + KafkaBroker.SCRAM_ITERATIONS
                + "]");
      }
      int formatted = kafka.tools.StorageTool.execute(format.toArray(String[]::new), System.out);
      if (formatted != 0) {
        System.err.println("formatting the KRaft storage in " + logDir + " failed: " + formatted);
        System.exit(formatted);
      }
    }
    kafka.Kafka.main(new String[] {args[0]});
  }

  private static void watchParent(InputStream parentPipe) {
    Thread watcher =
        new Thread(
            () -> {
              try {
                while (parentPipe.read() >= 0) {
                  // drain: the parent never writes, it only holds the pipe open
                }
              } catch (IOException ignored) {
                // a broken pipe means the same as EOF: the parent is gone
              }
              System.exit(0);
            },
            "parent-watcher");
    watcher.setDaemon(true);
    watcher.start();
  }
}
