package dev.slipway.install;

import dev.slipway.events.EventType;
import dev.slipway.events.Topic;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Which topics a service really reads and writes, read off its code rather than kept by hand: it
 * consumes every topic its {@code mp.messaging.incoming.*.topic} properties name, and produces to
 * the topic of every {@link EventType} constant and every {@link Topic} constant its main sources
 * name (events leave through the outbox, which takes one or the other), plus its dead-letter topic.
 */
public record KafkaTraffic(
    String service, SortedSet<String> consumes, SortedSet<String> produces, String group) {

  private static final Pattern INCOMING_TOPIC =
      Pattern.compile("mp\\.messaging\\.incoming\\.[^.]+\\.topic");
  private static final Pattern EVENT_TYPE = Pattern.compile("\\bEventType\\.([A-Z][A-Z0-9_]*)\\b");
  private static final Pattern TOPIC = Pattern.compile("\\bTopic\\.([A-Z][A-Z0-9_]*)\\b");

  /** Reads the traffic of the service whose Maven module is {@code <repository>/<service>}. */
  public static KafkaTraffic of(Path repository, String service) {
    Path module = repository.resolve(service);
    SortedSet<String> consumes = new TreeSet<>();
    Properties properties = new Properties();
    try (InputStream in =
        Files.newInputStream(module.resolve("src/main/resources/application.properties"))) {
      properties.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the configuration of " + service, e);
    }
    for (String key : properties.stringPropertyNames()) {
      if (INCOMING_TOPIC.matcher(key).matches()) {
        consumes.add(properties.getProperty(key).trim());
      }
    }
    SortedSet<String> produces = new TreeSet<>();
    try (Stream<Path> sources = Files.walk(module.resolve("src/main/java"))) {
      for (Path source : sources.filter(p -> p.toString().endsWith(".java")).toList()) {
        String text = Files.readString(source);
        Matcher types = EVENT_TYPE.matcher(text);
        while (types.find()) {
          constant(EventType.class, types.group(1))
              .ifPresent(t -> produces.add(t.topic().topicName()));
        }
        Matcher topics = TOPIC.matcher(text);
        while (topics.find()) {
          constant(Topic.class, topics.group(1)).ifPresent(t -> produces.add(t.topicName()));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the sources of " + service, e);
    }
    produces.add(Topic.deadLetterTopic(service));
    return new KafkaTraffic(service, consumes, produces, service);
  }

  /** Every topic this service touches. */
  public Set<String> topics() {
    SortedSet<String> all = new TreeSet<>(consumes);
    all.addAll(produces);
    return all;
  }

  // A static method or field that is not a constant (EventType.fromType) is not traffic.
  private static <E extends Enum<E>> java.util.Optional<E> constant(Class<E> type, String name) {
    for (E value : type.getEnumConstants()) {
      if (value.name().equals(name)) {
        return java.util.Optional.of(value);
      }
    }
    return java.util.Optional.empty();
  }
}
