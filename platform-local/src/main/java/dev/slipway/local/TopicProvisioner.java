package dev.slipway.local;

import dev.slipway.events.ConsumerGroups;
import dev.slipway.events.Topic;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.config.TopicConfig;

/**
 * Creates Slipway's topics and the consumers' dead-letter topics (brokers never auto-create), and
 * grants the principals their ACLs.
 */
public final class TopicProvisioner {

  private final Map<String, Object> adminConfig;
  private final int partitions;
  private final short replicationFactor;

  /**
   * @param adminConfig the Kafka client properties of a principal allowed to create topics and
   *     ACLs, {@code bootstrap.servers} included
   */
  public TopicProvisioner(
      Map<String, Object> adminConfig, int partitions, short replicationFactor) {
    this.adminConfig = Map.copyOf(adminConfig);
    this.partitions = partitions;
    this.replicationFactor = replicationFactor;
  }

  /** Every topic Slipway uses: the event topics of {@link Topic} and one DLQ per consumer group. */
  public List<NewTopic> topics() {
    List<NewTopic> topics = new ArrayList<>();
    for (Topic topic : Topic.values()) {
      NewTopic t = new NewTopic(topic.topicName(), partitions, replicationFactor);
      if (topic.compacted()) {
        t.configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
      }
      topics.add(t);
    }
    for (String group : ConsumerGroups.all()) {
      topics.add(new NewTopic(Topic.deadLetterTopic(group), 1, replicationFactor));
    }
    return topics;
  }

  /** Creates the missing topics and leaves existing ones untouched; returns the names created. */
  public Set<String> ensureTopics() {
    return ensure(topics());
  }

  /** Creates the dead-letter topic of a consumer group that is not one of Slipway's services. */
  public Set<String> ensureDeadLetterTopic(String consumerGroup) {
    return ensure(
        List.of(new NewTopic(Topic.deadLetterTopic(consumerGroup), 1, replicationFactor)));
  }

  /** Adds the ACL bindings that are missing; existing ones, and any others, stay. */
  public void grant(Collection<AclBinding> acls) {
    try (Admin admin = Admin.create(adminConfig)) {
      admin.createAcls(acls).all().get(30, TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("could not create Kafka ACLs on " + bootstrapServers(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while creating ACLs", e);
    }
  }

  private Object bootstrapServers() {
    return adminConfig.get(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG);
  }

  private Set<String> ensure(List<NewTopic> wanted) {
    try (Admin admin = Admin.create(adminConfig)) {
      Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
      List<NewTopic> missing = wanted.stream().filter(t -> !existing.contains(t.name())).toList();
      if (!missing.isEmpty()) {
        admin.createTopics(missing).all().get(30, TimeUnit.SECONDS);
        awaitListed(admin, missing);
      }
      return missing.stream().map(NewTopic::name).collect(Collectors.toSet());
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException(
          "could not create Slipway's topics on " + bootstrapServers(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while creating topics", e);
    }
  }

  /** Creation is acknowledged by the controller before every broker lists the topic: wait. */
  private static void awaitListed(Admin admin, List<NewTopic> created)
      throws ExecutionException, TimeoutException, InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (System.nanoTime() < deadline) {
      Set<String> listed = admin.listTopics().names().get(30, TimeUnit.SECONDS);
      if (created.stream().allMatch(t -> listed.contains(t.name()))) {
        return;
      }
      Thread.sleep(50);
    }
    throw new TimeoutException("created topics were not listed within 30 s: " + created);
  }
}
