package dev.slipway.platform.outbox;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.slipway.events.EventCodec;
import dev.slipway.platform.instances.CancelRequests;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.sql.Array;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * Publishes committed outbox rows to Kafka in id order, then marks them published. At least once: a
 * crash between send and mark republishes, and consumers drop the duplicate by event id.
 */
@ApplicationScoped
public class OutboxRelay {

  private static final Logger LOG = Logger.getLogger(OutboxRelay.class);

  private final List<Runnable> committed = new java.util.concurrent.CopyOnWriteArrayList<>();
  private final List<Consumer<UUID>> cancelled = new java.util.concurrent.CopyOnWriteArrayList<>();
  private static final Pattern SCHEMA = Pattern.compile("[a-z_][a-z0-9_]{0,62}");
  private static final TypeReference<Map<String, String>> HEADERS = new TypeReference<>() {};
  private static final Duration MAX_BACKOFF = Duration.ofSeconds(10);
  private static final Duration CLEANUP_EVERY = Duration.ofMinutes(1);

  private final boolean enabled;
  private final String schema;
  private final String jdbcUrl;
  private final String user;
  private final String password;
  private final Map<String, Object> kafkaConfig;
  private final int batchSize;
  private final Duration idleWait;
  private final Duration retention;
  private final Counter published;
  private final Timer lag;

  private volatile boolean running;
  private volatile Thread worker;
  private volatile String lastError;
  private volatile boolean connected;

  /** The connection the relay waits on for notifications, aborted to wake it when stopping. */
  private volatile Connection listening;

  private KafkaProducer<String, byte[]> producer;
  private Instant lastCleanup = Instant.EPOCH;

  @Inject
  public OutboxRelay(
      @ConfigProperty(name = "slipway.outbox.relay.enabled") boolean enabled,
      @ConfigProperty(name = "slipway.schema") String schema,
      @ConfigProperty(name = "quarkus.datasource.jdbc.url") String jdbcUrl,
      @ConfigProperty(name = "quarkus.datasource.username") String user,
      @ConfigProperty(name = "quarkus.datasource.password") Optional<String> password,
      @Identifier("default-kafka-broker") Map<String, Object> kafkaConfig,
      @ConfigProperty(name = "slipway.outbox.relay.batch-size") int batchSize,
      @ConfigProperty(name = "slipway.outbox.relay.idle-wait") Duration idleWait,
      @ConfigProperty(name = "slipway.outbox.relay.retention") Duration retention,
      MeterRegistry registry) {
    if (!SCHEMA.matcher(schema).matches()) {
      throw new IllegalArgumentException("slipway.schema is not a plain identifier: " + schema);
    }
    this.enabled = enabled;
    this.schema = schema;
    this.jdbcUrl = jdbcUrl;
    this.user = user;
    this.password = password.orElse("");
    this.kafkaConfig = Map.copyOf(kafkaConfig);
    this.batchSize = batchSize;
    this.idleWait = idleWait;
    this.retention = retention;
    this.published =
        Counter.builder("slipway.outbox.published")
            .description("Events the outbox relay published to Kafka")
            .register(registry);
    this.lag =
        Timer.builder("slipway.outbox.lag")
            .description(
                "Time from an event's recording in the outbox to its acknowledgement by Kafka")
            .publishPercentiles(0.5, 0.99)
            .register(registry);
  }

  void onStart(@Observes StartupEvent event) {
    if (!enabled) {
      LOG.warn(
          "outbox relay disabled (slipway.outbox.relay.enabled=false): events stay unpublished");
      return;
    }
    running = true;
    Thread thread = new Thread(this::run, "outbox-relay");
    thread.setDaemon(true);
    worker = thread;
    thread.start();
  }

  void onStop(@Observes ShutdownEvent event) {
    running = false;
    Thread thread = worker;
    if (thread != null) {
      thread.interrupt();
      // A thread blocked reading the socket ignores interrupts; closing the socket wakes it.
      Connection waiting = listening;
      if (waiting != null) {
        try {
          waiting.abort(Runnable::run);
        } catch (SQLException | RuntimeException e) {
          LOG.debug("aborting the relay's connection failed", e);
        }
      }
      try {
        thread.join(10_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Whether the relay is enabled, connected, and its last cycle succeeded. */
  public boolean healthy() {
    return !enabled || (worker != null && worker.isAlive() && connected && lastError == null);
  }

  /**
   * Runs {@code listener} (quickly, on the relay's thread) whenever a transaction of any instance
   * of this service committed events: queued work (builds, test runs) always commits an event with
   * it, so idle workers wake on it instead of polling the database.
   */
  public void onEventsCommitted(Runnable listener) {
    committed.add(listener);
  }

  /**
   * Runs {@code listener} (quickly, on the relay's thread) with the id of work that any instance of
   * this service was asked to cancel ({@link CancelRequests}): the instance running it stops it,
   * the others find nothing to stop. Only while the relay is enabled.
   */
  public void onCancelRequested(Consumer<UUID> listener) {
    cancelled.add(listener);
  }

  /** Why the relay is not healthy, or null. */
  public String lastError() {
    return lastError;
  }

  private void run() {
    Duration backoff = Duration.ofMillis(100);
    while (running) {
      try (Connection connection = DriverManager.getConnection(jdbcUrl, user, password)) {
        listening = connection;
        try (Statement listen = connection.createStatement()) {
          listen.execute("LISTEN slipway_outbox_" + schema);
          listen.execute("LISTEN " + CancelRequests.channel(schema));
        }
        PGConnection notifications = connection.unwrap(PGConnection.class);
        connected = true;
        backoff = Duration.ofMillis(100);
        while (running) {
          int count = publishBatch(connection);
          lastError = null;
          cleanUp(connection);
          if (count > 0) {
            committed.forEach(Runnable::run);
          }
          if (count < batchSize) {
            // Returns early on the commit of a new outbox row or a cancel request (their NOTIFY),
            // or after idleWait.
            dispatch(notifications.getNotifications((int) idleWait.toMillis()));
          } else {
            dispatch(notifications.getNotifications());
          }
        }
      } catch (Exception e) {
        connected = false;
        if (!running) {
          break;
        }
        lastError = e.getClass().getSimpleName() + ": " + e.getMessage();
        LOG.warnf("outbox relay cycle failed, retrying in %s: %s", backoff, lastError);
        closeProducer();
        sleep(backoff);
        backoff =
            backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0
                ? MAX_BACKOFF
                : backoff.multipliedBy(2);
      }
    }
    closeProducer();
  }

  /** Wakes the committed-event listeners once, and hands each cancel request to its listeners. */
  private void dispatch(PGNotification[] got) {
    if (got == null) {
      return;
    }
    boolean events = false;
    String cancelChannel = CancelRequests.channel(schema);
    for (PGNotification notification : got) {
      if (!notification.getName().equals(cancelChannel)) {
        events = true;
        continue;
      }
      UUID id;
      try {
        id = UUID.fromString(notification.getParameter());
      } catch (IllegalArgumentException e) {
        LOG.debugf("ignored a cancel request that names no work id");
        continue;
      }
      cancelled.forEach(listener -> listener.accept(id));
    }
    if (events) {
      committed.forEach(Runnable::run);
    }
  }

  private int publishBatch(Connection connection) throws Exception {
    connection.setAutoCommit(false);
    try {
      if (!tryLock(connection)) {
        // Another replica of this service is relaying; it keeps the per-key order.
        connection.rollback();
        return 0;
      }
      List<Long> ids = new ArrayList<>();
      List<Instant> created = new ArrayList<>();
      List<Future<RecordMetadata>> acks = new ArrayList<>();
      try (PreparedStatement select =
          connection.prepareStatement(
              "SELECT id, topic, event_key, headers, payload, created_at FROM "
                  + schema
                  + ".outbox_event WHERE published_at IS NULL ORDER BY id LIMIT ?")) {
        select.setInt(1, batchSize);
        try (ResultSet rs = select.executeQuery()) {
          while (rs.next()) {
            ids.add(rs.getLong(1));
            created.add(rs.getTimestamp(6).toInstant());
            acks.add(producer().send(toRecord(rs)));
          }
        }
      }
      if (ids.isEmpty()) {
        connection.rollback();
        return 0;
      }
      for (Future<RecordMetadata> ack : acks) {
        ack.get(60, TimeUnit.SECONDS);
      }
      try (PreparedStatement mark =
          connection.prepareStatement(
              "UPDATE " + schema + ".outbox_event SET published_at = now() WHERE id = ANY(?)")) {
        Array array = connection.createArrayOf("bigint", ids.toArray());
        mark.setArray(1, array);
        mark.executeUpdate();
      }
      connection.commit();
      Instant now = Instant.now();
      published.increment(ids.size());
      created.forEach(c -> lag.record(Duration.between(c, now)));
      return ids.size();
    } catch (Exception e) {
      connection.rollback();
      throw e;
    } finally {
      connection.setAutoCommit(true);
    }
  }

  private boolean tryLock(Connection connection) throws SQLException {
    try (PreparedStatement lock =
        connection.prepareStatement("SELECT pg_try_advisory_xact_lock(hashtext(?))")) {
      lock.setString(1, "slipway_outbox_" + schema);
      try (ResultSet rs = lock.executeQuery()) {
        return rs.next() && rs.getBoolean(1);
      }
    }
  }

  private ProducerRecord<String, byte[]> toRecord(ResultSet rs) throws Exception {
    RecordHeaders headers = new RecordHeaders();
    Map<String, String> values = EventCodec.mapper().readValue(rs.getString(4), HEADERS);
    values.forEach((k, v) -> headers.add(k, v.getBytes(StandardCharsets.UTF_8)));
    return new ProducerRecord<>(rs.getString(2), null, rs.getString(3), rs.getBytes(5), headers);
  }

  private void cleanUp(Connection connection) throws SQLException {
    Instant now = Instant.now();
    if (Duration.between(lastCleanup, now).compareTo(CLEANUP_EVERY) < 0) {
      return;
    }
    lastCleanup = now;
    try (PreparedStatement delete =
        connection.prepareStatement(
            "DELETE FROM " + schema + ".outbox_event WHERE published_at < ?")) {
      delete.setTimestamp(1, Timestamp.from(now.minus(retention)));
      delete.executeUpdate();
    }
  }

  private KafkaProducer<String, byte[]> producer() {
    if (producer == null) {
      Properties config = new Properties();
      // Every kafka.* property (servers, the service's SASL login) as the messaging connector has.
      config.putAll(kafkaConfig);
      config.put(ProducerConfig.ACKS_CONFIG, "all");
      config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
      config.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5);
      config.put(ProducerConfig.LINGER_MS_CONFIG, 0);
      config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000);
      config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
      config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
      config.put(ProducerConfig.CLIENT_ID_CONFIG, "outbox-relay-" + schema);
      producer = new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer());
    }
    return producer;
  }

  private void closeProducer() {
    if (producer != null) {
      try {
        producer.close(Duration.ofSeconds(5));
      } catch (RuntimeException e) {
        LOG.debug("closing the outbox producer failed", e);
      }
      producer = null;
    }
  }

  private static void sleep(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
