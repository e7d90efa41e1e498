package dev.slipway.local;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** Entry point of the broker's child JVM: formats the KRaft storage once, then runs Kafka. */
public final class KafkaBrokerMain {

  private KafkaBrokerMain() {}

  /**
   * Arguments: the server.properties path, the cluster id, the log directory.
   *
   * <p>The broker stops when its parent closes our stdin, so a killed parent never leaves an
   * orphaned broker holding the port and the data directory.
   */
  public static void main(String[] args) throws IOException {
    if (args.length != 3) {
      System.err.println("usage: KafkaBrokerMain <server.properties> <cluster-id> <log-dir>");
      System.exit(64);
    }
    watchParent(System.in);
    Path logDir = Path.of(args[2]);
    if (!Files.exists(logDir.resolve("meta.properties"))) {
      int formatted =
          kafka.tools.StorageTool.execute(
              new String[] {"format", "-t", args[1], "-c", args[0], "--ignore-formatted"},
              System.out);
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
