package dev.slipway.local;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import javax.tools.ToolProvider;

/** A tiny service jar for tests that start real child JVMs through {@link ServiceProcess}. */
final class StubService {

  private StubService() {}

  /**
   * A service answering {@code /q/health/ready} on {@code quarkus.http.port}, read like Quarkus
   * reads it from {@code config/application.properties} in its working directory.
   */
  private static final String STUB =
      """
      import com.sun.net.httpserver.HttpServer;
      import java.io.FileReader;
      import java.net.InetSocketAddress;
      import java.util.Properties;
      public class Stub {
        public static void main(String[] args) throws Exception {
          Properties config = new Properties();
          try (FileReader in = new FileReader("config/application.properties")) {
            config.load(in);
          }
          int port = Integer.parseInt(config.getProperty("quarkus.http.port"));
          HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
          server.createContext("/q/health/ready", exchange -> {
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
          });
          server.start();
        }
      }
      """;

  /** Compiles the stub into {@code dir}/stub.jar. */
  static Path jar(Path dir) throws IOException {
    Path src = Files.createDirectories(dir.resolve("src"));
    Path classes = Files.createDirectories(dir.resolve("classes"));
    Files.writeString(src.resolve("Stub.java"), STUB);
    int rc =
        ToolProvider.getSystemJavaCompiler()
            .run(null, null, null, "-d", classes.toString(), src.resolve("Stub.java").toString());
    assertEquals(0, rc, "the stub compiles");
    Manifest manifest = new Manifest();
    manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, "Stub");
    Path jar = dir.resolve("stub.jar");
    try (OutputStream file = Files.newOutputStream(jar);
        JarOutputStream out = new JarOutputStream(file, manifest)) {
      out.putNextEntry(new JarEntry("Stub.class"));
      out.write(Files.readAllBytes(classes.resolve("Stub.class")));
      out.closeEntry();
    }
    return jar;
  }
}
