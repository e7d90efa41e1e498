package dev.slipway.platform.addons;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.URLEncoder;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;

/**
 * The Unix socket through which sandboxed code with a network namespace of its own (a test node)
 * reaches its add-on database on Slipway's PostgreSQL. It reads each connection's startup packet
 * and forwards only those naming the database's own role and database, so the socket can never
 * serve a login as a platform role, whatever the server's authentication allows; TLS and GSS
 * encryption requests are declined (the socket is local).
 */
public final class PostgresSocketProxy implements AutoCloseable {

  /** The port in the socket's name ({@code .s.PGSQL.5432}) and in the URL; no TCP port is used. */
  public static final int PORT = 5432;

  private static final Logger LOG = Logger.getLogger(PostgresSocketProxy.class);
  private static final int MAX_STARTUP_BYTES = 10_000;
  private static final int MAX_CONNECTIONS = 64;
  private static final int PROTOCOL_3 = 3 << 16;
  private static final int SSL_REQUEST = 80877103;
  private static final int GSS_REQUEST = 80877104;
  private static final int CANCEL_REQUEST = 80877102;

  private final Path directory;
  private final Path socket;
  private final PostgresDatabases.Database database;
  private final InetSocketAddress server;
  private final ServerSocketChannel listener;
  private final ExecutorService threads;
  private final Set<SocketChannel> open = ConcurrentHashMap.newKeySet();
  private final AtomicInteger connections = new AtomicInteger();

  private PostgresSocketProxy(
      Path directory,
      PostgresDatabases.Database database,
      InetSocketAddress server,
      ServerSocketChannel listener) {
    this.directory = directory;
    this.socket = directory.resolve(".s.PGSQL." + PORT);
    this.database = database;
    this.server = server;
    this.listener = listener;
    this.threads =
        Executors.newCachedThreadPool(
            r -> {
              Thread t = new Thread(r, "postgres-socket-" + database.name());
              t.setDaemon(true);
              return t;
            });
  }

  /**
   * Opens the socket in a new directory of its own under the system's temporary directory: a socket
   * path must stay under 108 bytes, which workspace paths easily exceed.
   */
  static PostgresSocketProxy open(PostgresDatabases.Database database, String host, int port)
      throws IOException {
    Path directory = Files.createTempDirectory("slipway-pg-");
    Path socket = directory.resolve(".s.PGSQL." + PORT);
    ServerSocketChannel listener = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
    try {
      listener.bind(UnixDomainSocketAddress.of(socket));
      // The sandbox user is not the platform's: it needs to pass the directory and write the
      // socket (which is what connecting takes); listing the directory it does not need.
      Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwx--x--x"));
      Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-rw-rw-"));
    } catch (IOException e) {
      listener.close();
      Files.deleteIfExists(socket);
      Files.deleteIfExists(directory);
      throw e;
    }
    PostgresSocketProxy proxy =
        new PostgresSocketProxy(directory, database, new InetSocketAddress(host, port), listener);
    proxy.threads.execute(proxy::accept);
    return proxy;
  }

  /** The socket's directory: bind it into the sandbox. */
  public Path directory() {
    return directory;
  }

  /** DATABASE_URL over the socket, as libpq and node-postgres read it (the host is the path). */
  public String url() {
    return "postgres://"
        + URLEncoder.encode(database.name(), StandardCharsets.UTF_8)
        + ":"
        + database.password()
        + "@"
        + URLEncoder.encode(directory.toString(), StandardCharsets.UTF_8)
        + ":"
        + PORT
        + "/"
        + database.name();
  }

  @Override
  public void close() {
    try {
      listener.close();
    } catch (IOException e) {
      LOG.debugf("closing %s: %s", socket, e.getMessage());
    }
    for (SocketChannel channel : open) {
      closeQuietly(channel);
    }
    threads.shutdownNow();
    try {
      Files.deleteIfExists(socket);
      Files.deleteIfExists(directory);
    } catch (IOException e) {
      LOG.debugf("could not delete %s: %s", socket, e.getMessage());
    }
  }

  private void accept() {
    while (listener.isOpen()) {
      SocketChannel client;
      try {
        client = listener.accept();
      } catch (IOException e) {
        return;
      }
      if (connections.incrementAndGet() > MAX_CONNECTIONS) {
        connections.decrementAndGet();
        refuse(client, "53300", "too many connections to this add-on socket");
        continue;
      }
      open.add(client);
      try {
        threads.execute(() -> serve(client));
      } catch (RuntimeException e) {
        forget(client);
        return;
      }
    }
  }

  private void serve(SocketChannel client) {
    SocketChannel upstream = null;
    try {
      byte[] startup = readStartup(client);
      if (startup == null) {
        return;
      }
      int code = ByteBuffer.wrap(startup, 4, 4).getInt();
      if (code != CANCEL_REQUEST) {
        Map<String, String> params = parameters(startup);
        String user = params.get("user");
        String db = params.getOrDefault("database", user);
        if (!database.name().equals(user) || !database.name().equals(db)) {
          refuse(
              client,
              "28000",
              "this socket serves only role and database " + database.name() + ", not " + user);
          return;
        }
      }
      upstream = SocketChannel.open(server);
      open.add(upstream);
      write(upstream, startup);
      SocketChannel up = upstream;
      threads.execute(() -> pump(up, client));
      pump(client, upstream);
    } catch (IOException | RuntimeException e) {
      LOG.debugf("add-on socket connection ended: %s", e.getMessage());
    } finally {
      // The client is done (or refused): whatever the server still sends has no reader.
      forget(client);
      if (upstream != null) {
        forget(upstream);
      }
      connections.decrementAndGet();
    }
  }

  /** The first real startup packet, after declining TLS and GSS encryption requests. */
  private static byte[] readStartup(SocketChannel client) throws IOException {
    for (int attempt = 0; attempt < 3; attempt++) {
      ByteBuffer length = readFully(client, 4);
      if (length == null) {
        return null;
      }
      int size = length.getInt(0);
      if (size < 8 || size > MAX_STARTUP_BYTES) {
        return null;
      }
      ByteBuffer rest = readFully(client, size - 4);
      if (rest == null) {
        return null;
      }
      int code = rest.getInt(0);
      if (code == SSL_REQUEST || code == GSS_REQUEST) {
        write(client, new byte[] {'N'});
        continue;
      }
      if (code != CANCEL_REQUEST && (code >>> 16) != 3) {
        return null;
      }
      byte[] packet = new byte[size];
      System.arraycopy(length.array(), 0, packet, 0, 4);
      System.arraycopy(rest.array(), 0, packet, 4, size - 4);
      return packet;
    }
    return null;
  }

  /** The startup packet's name/value pairs (after length and protocol version). */
  static Map<String, String> parameters(byte[] packet) {
    Map<String, String> params = new HashMap<>();
    int i = 8;
    while (i < packet.length && packet[i] != 0) {
      int keyEnd = indexOfZero(packet, i);
      int valueEnd = indexOfZero(packet, keyEnd + 1);
      if (keyEnd < 0 || valueEnd < 0) {
        break;
      }
      params.put(
          new String(packet, i, keyEnd - i, StandardCharsets.UTF_8),
          new String(packet, keyEnd + 1, valueEnd - keyEnd - 1, StandardCharsets.UTF_8));
      i = valueEnd + 1;
    }
    return params;
  }

  private static int indexOfZero(byte[] bytes, int from) {
    for (int i = from; i < bytes.length; i++) {
      if (bytes[i] == 0) {
        return i;
      }
    }
    return -1;
  }

  private void pump(SocketChannel from, SocketChannel to) {
    ByteBuffer buffer = ByteBuffer.allocate(16 * 1024);
    try {
      while (from.read(buffer) >= 0) {
        buffer.flip();
        while (buffer.hasRemaining()) {
          to.write(buffer);
        }
        buffer.clear();
      }
      to.shutdownOutput();
    } catch (IOException e) {
      closeQuietly(to);
      closeQuietly(from);
    }
  }

  /** Answers with a PostgreSQL FATAL error, so clients show why, and closes. */
  private void refuse(SocketChannel client, String sqlState, String message) {
    try {
      ByteArrayOutputStream fields = new ByteArrayOutputStream();
      for (String field : new String[] {"SFATAL", "VFATAL", "C" + sqlState, "M" + message}) {
        fields.writeBytes(field.getBytes(StandardCharsets.UTF_8));
        fields.write(0);
      }
      fields.write(0);
      byte[] body = fields.toByteArray();
      ByteBuffer packet = ByteBuffer.allocate(5 + body.length);
      packet.put((byte) 'E').putInt(4 + body.length).put(body);
      write(client, packet.array());
    } catch (IOException e) {
      LOG.debugf("could not answer a refused add-on connection: %s", e.getMessage());
    } finally {
      forget(client);
    }
  }

  private void forget(SocketChannel channel) {
    open.remove(channel);
    closeQuietly(channel);
  }

  private static ByteBuffer readFully(SocketChannel channel, int size) throws IOException {
    ByteBuffer buffer = ByteBuffer.allocate(size);
    while (buffer.hasRemaining()) {
      if (channel.read(buffer) < 0) {
        return null;
      }
    }
    return buffer;
  }

  private static void write(SocketChannel channel, byte[] bytes) throws IOException {
    ByteBuffer buffer = ByteBuffer.wrap(bytes);
    while (buffer.hasRemaining()) {
      channel.write(buffer);
    }
  }

  private static void closeQuietly(SocketChannel channel) {
    if (channel == null) {
      return;
    }
    try {
      channel.close();
    } catch (IOException e) {
      // Already gone.
    }
  }
}
