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
import java.nio.charset.StandardCharsets;

/**
 * Validates data documents against the schemas shipped in the jar, loading them from the classpath
 * as a non-Java consumer would load the files, with the shared definitions registered so that
 * relative {@code $ref}s resolve. Shipped in this module's test jar so that every service's tests
 * validate the events they produce with this one implementation.
 */
public final class SchemaValidation {

  static final String BASE_URI = "https://slipway.dev/schemas/";
  static final String DEFS = "/schemas/defs.json";

  private static final JsonSchemaOptions OPTIONS =
      new JsonSchemaOptions()
          .setDraft(Draft.DRAFT202012)
          .setBaseUri(BASE_URI)
          .setOutputFormat(OutputFormat.Basic);

  private static final SchemaRepository REPOSITORY = repository();

  private SchemaValidation() {}

  /**
   * Validates an event's data against the schema of its type; fails the test if it does not fit.
   */
  public static void assertValid(CloudEvent event) {
    EventType type =
        EventType.fromType(event.type())
            .orElseThrow(() -> new AssertionError("unknown event type " + event.type()));
    OutputUnit result =
        validate(type, new JsonObject(new String(event.data(), StandardCharsets.UTF_8)));
    if (!Boolean.TRUE.equals(result.getValid())) {
      throw new AssertionError(event.type() + " does not match its schema: " + result.toJson());
    }
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

  private static SchemaRepository repository() {
    SchemaRepository repository = SchemaRepository.create(OPTIONS);
    repository.dereference(JsonSchema.of(load(DEFS)));
    for (EventType type : EventType.values()) {
      repository.dereference(JsonSchema.of(load(type.schemaResource())));
    }
    return repository;
  }
}
