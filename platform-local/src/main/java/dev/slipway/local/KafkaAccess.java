package dev.slipway.local;

import static dev.slipway.events.Topic.BUILDS;
import static dev.slipway.events.Topic.CHANGES;
import static dev.slipway.events.Topic.ENVIRONMENTS;
import static dev.slipway.events.Topic.PIPELINES;
import static dev.slipway.events.Topic.PROMOTIONS;
import static dev.slipway.events.Topic.RELEASES;
import static dev.slipway.events.Topic.TEST_RUNS;

import dev.slipway.events.ConsumerGroups;
import dev.slipway.events.Topic;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

/**
 * Which principal may produce to and consume from which topic: each service writes only the topics
 * it owns and its own dead-letter topic, reads only the topics its {@code @Incoming} channels name,
 * and joins only consumer groups named after itself.
 */
public record KafkaAccess(String principal, Set<Topic> produces, Set<Topic> consumes) {

  /** The services' table; the principal is the service's name and its consumer group. */
  public static final List<KafkaAccess> SERVICES =
      List.of(
          new KafkaAccess(ConsumerGroups.BUILD_SERVICE, Set.of(CHANGES, BUILDS), Set.of(PIPELINES)),
          new KafkaAccess(
              ConsumerGroups.TEST_SERVICE, Set.of(TEST_RUNS), Set.of(PIPELINES, BUILDS)),
          // deploy-service also reports each promotion target's outcome on slipway.promotions.
          new KafkaAccess(
              ConsumerGroups.DEPLOY_SERVICE,
              Set.of(RELEASES, ENVIRONMENTS, PROMOTIONS),
              Set.of(PIPELINES, CHANGES, BUILDS, TEST_RUNS, PROMOTIONS)),
          new KafkaAccess(
              ConsumerGroups.PROMOTION_SERVICE,
              Set.of(PIPELINES, PROMOTIONS),
              Set.of(CHANGES, BUILDS, TEST_RUNS, RELEASES, ENVIRONMENTS, PROMOTIONS)));

  /**
   * A principal that may read and write every topic and use any consumer group, but administer
   * nothing: what test harnesses publish and inspect events with.
   */
  public static List<AclBinding> everyTopicAndGroup(String principal) {
    List<AclBinding> acls = new ArrayList<>();
    ResourcePattern anyTopic =
        new ResourcePattern(
            ResourceType.TOPIC, ResourcePattern.WILDCARD_RESOURCE, PatternType.LITERAL);
    acls.add(allow(principal, anyTopic, AclOperation.WRITE));
    acls.add(allow(principal, anyTopic, AclOperation.READ));
    acls.add(
        allow(
            principal,
            new ResourcePattern(
                ResourceType.GROUP, ResourcePattern.WILDCARD_RESOURCE, PatternType.LITERAL),
            AclOperation.READ));
    return acls;
  }

  /** The ACL bindings granting this row and nothing more. */
  public List<AclBinding> bindings() {
    List<AclBinding> acls = new ArrayList<>();
    for (Topic topic : produces) {
      acls.add(allow(principal, topic(topic.topicName()), AclOperation.WRITE));
    }
    acls.add(allow(principal, topic(Topic.deadLetterTopic(principal)), AclOperation.WRITE));
    for (Topic topic : consumes) {
      acls.add(allow(principal, topic(topic.topicName()), AclOperation.READ));
    }
    acls.add(
        allow(
            principal,
            new ResourcePattern(ResourceType.GROUP, principal, PatternType.PREFIXED),
            AclOperation.READ));
    return acls;
  }

  private static ResourcePattern topic(String name) {
    return new ResourcePattern(ResourceType.TOPIC, name, PatternType.LITERAL);
  }

  private static AclBinding allow(String principal, ResourcePattern pattern, AclOperation op) {
    return new AclBinding(
        pattern, new AccessControlEntry("User:" + principal, "*", op, AclPermissionType.ALLOW));
  }
}
