package dev.slipway.install;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.slipway.events.Topic;
import dev.slipway.local.KafkaAccess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a service's KafkaUser grants follows its code: a new channel or event shows up there. */
class KafkaTrafficTest {

  @Test
  void aServiceConsumesItsIncomingChannelsAndProducesTheTopicsOfTheEventsItsCodeNames(
      @TempDir Path repository) throws IOException {
    Path module = repository.resolve("audit-service");
    Files.createDirectories(module.resolve("src/main/resources"));
    Files.createDirectories(module.resolve("src/main/java/x"));
    Files.writeString(
        module.resolve("src/main/resources/application.properties"),
        "mp.messaging.incoming.builds.topic=slipway.builds\n"
            + "mp.messaging.incoming.builds.connector=smallrye-kafka\n"
            + "mp.messaging.connector.smallrye-kafka.dead-letter-queue.topic=slipway.dlq.audit\n");
    Files.writeString(
        module.resolve("src/main/java/x/A.java"),
        "class A { void a() { outbox.record(EventType.RELEASE_CREATED, p);"
            + " outbox.recordTombstone(s, Topic.PIPELINES, k); EventType.fromType(t); } }");

    KafkaTraffic traffic = KafkaTraffic.of(repository, "audit-service");

    assertEquals(Set.of("slipway.builds"), traffic.consumes());
    assertEquals(
        new TreeSet<>(Set.of("slipway.releases", "slipway.pipelines", "slipway.dlq.audit-service")),
        traffic.produces());
  }

  @Test
  void theLocalStacksAclTableGrantsWhatEachServicesCodeUses() {
    assertEquals(SlipwayService.values().length, KafkaAccess.SERVICES.size());
    for (KafkaAccess access : KafkaAccess.SERVICES) {
      KafkaTraffic traffic = KafkaTraffic.of(RenderedProfile.repository(), access.principal());
      Set<String> produces =
          access.produces().stream()
              .map(Topic::topicName)
              .collect(Collectors.toCollection(TreeSet::new));
      produces.add(Topic.deadLetterTopic(access.principal()));
      assertEquals(traffic.produces(), produces, access.principal() + " writes");
      assertEquals(
          traffic.consumes(),
          access.consumes().stream()
              .map(Topic::topicName)
              .collect(Collectors.toCollection(TreeSet::new)),
          access.principal() + " reads");
    }
  }
}
