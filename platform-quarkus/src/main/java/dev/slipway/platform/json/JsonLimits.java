package dev.slipway.platform.json;

import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.jackson.ObjectMapperCustomizer;
import jakarta.inject.Singleton;

/**
 * How deep and how long the JSON Slipway reads may be, for request bodies (through Quarkus's
 * mapper) and webhook payloads alike: hostile nesting or huge strings are refused while parsing, as
 * a 400, before they cost memory or stack.
 */
@Singleton
public class JsonLimits implements ObjectMapperCustomizer {

  /** Deeper than any payload a forge or a client sends; far below what would exhaust the stack. */
  public static final int MAX_NESTING_DEPTH = 100;

  /** Longest single JSON string (a config var value is capped far lower). */
  public static final int MAX_STRING_LENGTH = 8 * 1024 * 1024;

  public static final StreamReadConstraints CONSTRAINTS =
      StreamReadConstraints.builder()
          .maxNestingDepth(MAX_NESTING_DEPTH)
          .maxStringLength(MAX_STRING_LENGTH)
          .build();

  @Override
  public void customize(ObjectMapper mapper) {
    mapper.getFactory().setStreamReadConstraints(CONSTRAINTS);
  }

  /** What a refused document broke, in the user's words and without parser internals. */
  public static String describe(StreamConstraintsException e) {
    String message = String.valueOf(e.getOriginalMessage()).toLowerCase(java.util.Locale.ROOT);
    if (message.contains("nesting")) {
      return "is nested more than " + MAX_NESTING_DEPTH + " levels deep";
    }
    return "holds a value above the size limits (strings up to " + MAX_STRING_LENGTH + " chars)";
  }

  /** A plain mapper with the same limits, for code that parses JSON outside a request body. */
  public static ObjectMapper newMapper() {
    ObjectMapper mapper = new ObjectMapper();
    mapper.getFactory().setStreamReadConstraints(CONSTRAINTS);
    return mapper;
  }
}
