package dev.slipway.events;

import io.vertx.core.json.JsonObject;
import io.vertx.json.schema.Draft;
import io.vertx.json.schema.JsonSchema;
import io.vertx.json.schema.JsonSchemaOptions;
import io.vertx.json.schema.OutputFormat;
import io.vertx.json.schema.OutputUnit;
import io.vertx.json.schema.SchemaRepository;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Validates events against both Slipway's schemas shipped in the jar (the payload in {@code
 * customData}) and the official CDEvents v0.5.1 schemas vendored in the test resources (everything
 * else), loading them from the classpath as a non-Java consumer would load the files. Shipped in
 * this module's test jar so that every service's tests validate the events they produce with this
 * one implementation.
 */
public final class SchemaValidation {

  static final String BASE_URI = "https://slipway.dev/schemas/";
  static final String DEFS = "/schemas/defs.json";

  /** The folder of the vendored official CDEvents schemas (release v0.5.1). */
  static final String CDEVENTS = "/cdevents/v0.5.1/";

  private static final List<String> CDEVENTS_LINKS =
      List.of(
          "embeddedlinkend",
          "embeddedlinkpath",
          "embeddedlinkrelation",
          "embeddedlinksarray",
          "linkend",
          "linkpath",
          "linkrelation",
          "linkstart");

  private static final JsonSchemaOptions OPTIONS =
      new JsonSchemaOptions()
          .setDraft(Draft.DRAFT202012)
          .setBaseUri(BASE_URI)
          .setOutputFormat(OutputFormat.Basic);

  private static final SchemaRepository REPOSITORY = repository();
  private static final Map<String, String> OFFICIAL_IDS = new HashMap<>();
  private static final SchemaRepository OFFICIAL = officialRepository();

  private SchemaValidation() {}

  /**
   * Validates an event against the schema of its type, Slipway's and the official CDEvents one, and
   * checks that {@code ce_source} is an absolute URI; fails the test if it does not fit.
   */
  public static void assertValid(CloudEvent event) {
    EventType type =
        EventType.fromType(event.type())
            .orElseThrow(() -> new AssertionError("unknown event type " + event.type()));
    JsonObject data = new JsonObject(new String(event.data(), StandardCharsets.UTF_8));
    OutputUnit result = validate(type, data);
    if (!Boolean.TRUE.equals(result.getValid())) {
      throw new AssertionError(event.type() + " does not match its schema: " + result.toJson());
    }
    OutputUnit official = validateOfficial(type, data);
    if (!Boolean.TRUE.equals(official.getValid())) {
      throw new AssertionError(
          event.type()
              + " does not match the official CDEvents v0.5.1 schema "
              + type.cdeventsSchemaFile()
              + ": "
              + official.toJson());
    }
    if (!URI.create(event.source()).isAbsolute()) {
      throw new AssertionError("ce_source is not an absolute URI: " + event.source());
    }
  }

  /** Validates a data document against the official CDEvents v0.5.1 schema of its type. */
  static OutputUnit validateOfficial(EventType type, JsonObject data) {
    return OFFICIAL.validator(OFFICIAL_IDS.get(type.cdeventsSchemaFile())).validate(data);
  }

  static OutputUnit validate(EventType type, JsonObject data) {
    // By $id, so that the repository resolves the relative $refs into defs.json.
    return REPOSITORY.validator(BASE_URI + type.type() + ".json").validate(data);
  }

  static JsonObject load(String resource) {
    try (InputStream in = SchemaValidation.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("no schema at " + resource);
      }
      return new JsonObject(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static SchemaRepository officialRepository() {
    SchemaRepository repository =
        SchemaRepository.create(
            new JsonSchemaOptions()
                .setDraft(Draft.DRAFT202012)
                .setBaseUri("https://cdevents.dev/0.5.1/schema/")
                .setOutputFormat(OutputFormat.Basic));
    for (String link : CDEVENTS_LINKS) {
      repository.dereference(JsonSchema.of(load(CDEVENTS + "links/" + link + ".json")));
    }
    for (EventType type : EventType.values()) {
      String file = type.cdeventsSchemaFile();
      if (OFFICIAL_IDS.containsKey(file)) {
        continue;
      }
      JsonObject schema = load(CDEVENTS + file);
      OFFICIAL_IDS.put(file, schema.getString("$id"));
      repository.dereference(JsonSchema.of(schema));
    }
    return repository;
  }

  private static SchemaRepository repository() {
    SchemaRepository repository = SchemaRepository.create(OPTIONS);
    repository.dereference(JsonSchema.of(load(DEFS)));
    for (EventType type : EventType.values()) {
      repository.dereference(JsonSchema.of(load(type.schemaResource())));
    }
    return repository;
  }
}
