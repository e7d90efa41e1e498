package dev.slipway.platform.inbox;

import dev.slipway.platform.instances.InstanceName;
import dev.slipway.platform.instances.ServiceInstances;
import io.smallrye.reactive.messaging.ClientCustomizer;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Gives every Kafka consumer of this service instance a stable {@code group.instance.id} (static
 * group membership) when {@code slipway.kafka.instance-id} is set or {@code
 * slipway.kafka.static-membership} is on, so that a restarted instance takes its partitions back at
 * once instead of after the dead member's session timeout. The id must differ between replicas
 * (Kafka fences a second member with the same one): with static-membership on it is this replica's
 * {@link InstanceName}, unique among running instances by construction (ADR 0012, ADR 0017).
 */
@ApplicationScoped
public class StaticMembership implements ClientCustomizer<Map<String, Object>> {

  private final Optional<String> instanceId;
  private final Optional<Duration> sessionTimeout;

  public StaticMembership(
      @ConfigProperty(name = "slipway.kafka.instance-id") Optional<String> instanceId,
      @ConfigProperty(name = "slipway.kafka.static-membership", defaultValue = "false")
          boolean staticMembership,
      @ConfigProperty(name = "slipway.kafka.session-timeout") Optional<Duration> sessionTimeout,
      ServiceInstances instances) {
    this.instanceId = memberName(instanceId, staticMembership, instances.name());
    this.sessionTimeout = sessionTimeout;
  }

  /**
   * The name this instance's consumers join their groups with, empty for dynamic membership: an
   * explicitly configured instance id (the operator vouches that it is unique), else this replica's
   * instance name when static membership is on.
   */
  static Optional<String> memberName(
      Optional<String> configured, boolean staticMembership, String instanceName) {
    if (configured.isPresent() && !configured.get().isBlank()) {
      return configured.map(String::strip);
    }
    return staticMembership ? Optional.of(instanceName) : Optional.empty();
  }

  @Override
  public Map<String, Object> customize(
      String channel, Config channelConfig, Map<String, Object> config) {
    return apply(instanceId, sessionTimeout, channel, config);
  }

  /**
   * Adds the instance id (one per channel: each channel is its own consumer in the group) and the
   * session timeout to a consumer's configuration; leaves producers' configurations alone.
   */
  static Map<String, Object> apply(
      Optional<String> instanceId,
      Optional<Duration> sessionTimeout,
      String channel,
      Map<String, Object> config) {
    boolean consumer =
        config.containsKey(ConsumerConfig.GROUP_ID_CONFIG)
            && !config.containsKey(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG);
    if (!consumer) {
      return config;
    }
    instanceId
        .filter(id -> !id.isBlank())
        .ifPresent(id -> config.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, id + "." + channel));
    sessionTimeout.ifPresent(
        t -> config.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, (int) t.toMillis()));
    return config;
  }
}
