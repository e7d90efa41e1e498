package dev.slipway.deploy.apps;

import dev.slipway.deploy.Json;
import dev.slipway.deploy.releases.Release;
import dev.slipway.deploy.releases.ReleaseCause;
import dev.slipway.deploy.releases.ReleaseRefusedException;
import dev.slipway.deploy.releases.Releases;
import dev.slipway.platform.validation.InputRules;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.hibernate.reactive.mutiny.Mutiny;

/**
 * An app's config vars: setting or unsetting them makes a new release of the current artifact with
 * the new config, as on Heroku.
 */
@ApplicationScoped
public class ConfigVars {

  private final Mutiny.SessionFactory sessionFactory;
  private final Apps apps;
  private final Releases releases;

  public ConfigVars(Mutiny.SessionFactory sessionFactory, Apps apps, Releases releases) {
    this.sessionFactory = sessionFactory;
    this.apps = apps;
    this.releases = releases;
  }

  /**
   * What a config change did: the app's vars now, the names of those that are secret whatever they
   * are called, and the release it made, if any.
   */
  public record Change(
      Map<String, String> config, Set<String> secretNames, Optional<Release> release) {}

  /**
   * Applies {@code changes} (a null value unsets the var) and marks the vars named in {@code
   * markSecret} secret (the API redacts them and the app's log masks them from then on, whatever
   * they are called); refused with the offending key when a name is not a valid environment
   * variable name or a value holds a NUL or is above the size cap, with {@code secret} when a var
   * to mark is neither set here nor one of the app's, and as a whole when the app's vars would
   * exceed the total cap.
   */
  public Uni<Change> change(
      String app, Map<String, String> changes, Set<String> markSecret, String by) {
    Map<String, String> requested = changes == null ? Map.of() : changes;
    if (requested.isEmpty() && markSecret.isEmpty()) {
      return Uni.createFrom()
          .failure(new ReleaseRefusedException(400, null, "no config vars to set or unset"));
    }
    for (String name : new TreeSet<>(markSecret)) {
      Optional<String> problem = InputRules.configKey(name);
      if (problem.isPresent()) {
        return Uni.createFrom()
            .failure(new ReleaseRefusedException(400, "secret", "secret: " + problem.get()));
      }
    }
    for (Map.Entry<String, String> e : new TreeMap<>(requested).entrySet()) {
      Optional<String> problem =
          InputRules.configKey(e.getKey()).or(() -> InputRules.configValue(e.getValue()));
      if (problem.isPresent()) {
        return Uni.createFrom()
            .failure(
                new ReleaseRefusedException(400, e.getKey(), e.getKey() + ": " + problem.get()));
      }
    }
    return sessionFactory.withTransaction(s -> change(s, app, requested, markSecret, by, null));
  }

  /**
   * Applies already validated {@code changes} and marks in the caller's transaction and, when the
   * app has a release, makes a new one described by {@code description} (null: Heroku's "Set X
   * config var" wording). Used by config changes and by add-ons attaching or detaching their URL.
   */
  public Uni<Change> change(
      Mutiny.Session s,
      String app,
      Map<String, String> changes,
      Set<String> markSecret,
      String by,
      String description) {
    return apps.lock(s, app)
        .flatMap(
            row -> {
              Map<String, String> config = new TreeMap<>(Json.strings(row.config));
              List<String> set = new ArrayList<>();
              List<String> unset = new ArrayList<>();
              changes.forEach(
                  (k, v) -> {
                    if (v == null) {
                      if (config.remove(k) != null) {
                        unset.add(k);
                      }
                    } else {
                      config.put(k, v);
                      set.add(k);
                    }
                  });
              Optional<String> tooBig = InputRules.configTotal(config);
              if (tooBig.isPresent()) {
                return Uni.createFrom()
                    .failure(
                        new ReleaseRefusedException(
                            413, "config_vars", "config_vars: " + tooBig.get()));
              }
              Set<String> secretNames = new TreeSet<>(Json.names(row.secretNames));
              List<String> marked = new ArrayList<>();
              for (String name : new TreeSet<>(markSecret)) {
                if (!config.containsKey(name)) {
                  return Uni.createFrom()
                      .failure(
                          new ReleaseRefusedException(
                              400, "secret", "secret: " + app + " has no config var " + name));
                }
                if (secretNames.add(name)) {
                  marked.add(name);
                }
              }
              row.config = Json.write(config);
              row.secretNames = Json.writeNames(secretNames);
              return releases
                  .current(s, app)
                  .flatMap(
                      current -> {
                        if (current.isEmpty()
                            || (set.isEmpty() && unset.isEmpty() && marked.isEmpty())) {
                          return Uni.createFrom()
                              .item(new Change(config, secretNames, Optional.<Release>empty()));
                        }
                        return releases
                            .create(
                                s,
                                app,
                                current.get().artifactDigest(),
                                config,
                                description == null ? describe(set, unset, marked) : description,
                                ReleaseCause.CONFIG_CHANGE,
                                by,
                                null)
                            .map(r -> new Change(config, secretNames, Optional.of(r)));
                      });
            });
  }

  /** Heroku's wording: "Set A, B config vars", "Remove C config var"; "Mark D secret". */
  static String describe(List<String> set, List<String> unset, List<String> marked) {
    List<String> parts = new ArrayList<>();
    if (!set.isEmpty()) {
      parts.add(
          "Set " + String.join(", ", set) + (set.size() == 1 ? " config var" : " config vars"));
    }
    if (!unset.isEmpty()) {
      parts.add(
          "Remove "
              + String.join(", ", unset)
              + (unset.size() == 1 ? " config var" : " config vars"));
    }
    if (!marked.isEmpty()) {
      parts.add("Mark " + String.join(", ", marked) + " secret");
    }
    return String.join("; ", parts);
  }
}
