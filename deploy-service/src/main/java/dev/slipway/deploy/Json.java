package dev.slipway.deploy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The JSON columns of the deploy-service's tables: string and integer maps, keys sorted, and sorted
 * sets of names.
 */
public final class Json {

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final TypeReference<LinkedHashMap<String, String>> STRINGS =
      new TypeReference<>() {};
  private static final TypeReference<LinkedHashMap<String, Integer>> INTS =
      new TypeReference<>() {};
  private static final TypeReference<TreeSet<String>> NAMES = new TypeReference<>() {};

  private Json() {}

  public static String write(Map<String, ?> map) {
    try {
      return MAPPER.writeValueAsString(new TreeMap<>(map));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  public static String writeNames(Collection<String> names) {
    try {
      return MAPPER.writeValueAsString(new TreeSet<>(names));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A JSON array of names as a sorted set; null or empty reads as none. */
  public static Set<String> names(String json) {
    try {
      return MAPPER.readValue(json == null || json.isEmpty() ? "[]" : json, NAMES);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("stored JSON column is not an array of names", e);
    }
  }

  public static Map<String, String> strings(String json) {
    return read(json, STRINGS);
  }

  public static Map<String, Integer> ints(String json) {
    return read(json, INTS);
  }

  private static <T extends Map<String, ?>> T read(String json, TypeReference<T> type) {
    try {
      return MAPPER.readValue(json == null || json.isEmpty() ? "{}" : json, type);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("stored JSON column is not an object", e);
    }
  }
}
