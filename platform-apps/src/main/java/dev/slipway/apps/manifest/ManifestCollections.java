package dev.slipway.apps.manifest;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Immutable copies that keep the order keys were written in, since users read them in order. */
final class ManifestCollections {
  private ManifestCollections() {}

  static <K, V> Map<K, V> unmodifiable(Map<K, V> map) {
    if (map == null) {
      return Map.of();
    }
    return Collections.unmodifiableMap(new LinkedHashMap<>(map));
  }

  static <T> List<T> unmodifiable(List<T> list) {
    return list == null ? List.of() : List.copyOf(list);
  }
}
