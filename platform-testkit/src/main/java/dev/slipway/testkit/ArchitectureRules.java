package dev.slipway.testkit;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.lang.ArchRule;
import java.util.List;
import java.util.Set;

/**
 * The package-by-feature rules of docs/architecture.md as ArchUnit rules over one service's base
 * package ({@code dev.slipway.<service>}), checked by each service through {@link
 * ArchitectureContract}.
 */
public final class ArchitectureRules {

  /** Packages a domain class must not import: REST, Kafka, messaging, Kubernetes, Vert.x. */
  public static final List<String> TRANSPORT_PACKAGES =
      List.of(
          "jakarta.ws.rs..",
          "org.apache.kafka..",
          "io.smallrye.reactive.messaging..",
          "io.fabric8..",
          "io.vertx..");

  /**
   * Packages directly under a service that are not features: adapter layers, and {@code config},
   * the composition root whose CDI producers choose adapters (so it must name Fabric8 and Vert.x).
   */
  private static final Set<String> NOT_FEATURES =
      Set.of("rest", "messaging", "persistence", "operator", "kubernetes", "local", "config");

  private static final String ENTITY = "jakarta.persistence.Entity";

  private ArchitectureRules() {}

  /** Every rule, in the order {@link ArchitectureContract} reports them. */
  public static List<ArchRule> all(String servicePackage) {
    return List.of(
        domainImportsNoTransport(servicePackage),
        restTouchesNoEntities(servicePackage),
        featuresAreFreeOfCycles(servicePackage),
        entitiesStayInPersistence(servicePackage));
  }

  /**
   * Feature roots ({@code <service>.<feature>}, the domain) use no REST, Kafka or Fabric8 types.
   */
  public static ArchRule domainImportsNoTransport(String servicePackage) {
    return noClasses()
        .that(areInAFeatureRoot(servicePackage))
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(TRANSPORT_PACKAGES.toArray(String[]::new))
        .because("domain classes are framework-free; adapters live in rest/messaging/kubernetes");
  }

  /** REST resources answer with records, never with JPA entities. */
  public static ArchRule restTouchesNoEntities(String servicePackage) {
    return noClasses()
        .that()
        .resideInAPackage(servicePackage + "..rest..")
        .should()
        .dependOnClassesThat(areEntities())
        .because("REST answers are records; entities stay behind the persistence layer");
  }

  /** Features of a service ({@code <service>.(*)}) do not depend on each other in a circle. */
  public static ArchRule featuresAreFreeOfCycles(String servicePackage) {
    return slices().matching(servicePackage + ".(*)..").should().beFreeOfCycles();
  }

  /** No class outside a {@code persistence} package depends on a JPA entity. */
  public static ArchRule entitiesStayInPersistence(String servicePackage) {
    return noClasses()
        .that()
        .resideInAPackage(servicePackage + "..")
        .and()
        .resideOutsideOfPackage("..persistence..")
        .should()
        .dependOnClassesThat(areEntities())
        .because("entities never leave persistence; other layers see domain records");
  }

  private static DescribedPredicate<JavaClass> areEntities() {
    return DescribedPredicate.describe(
        "are @Entity classes in a persistence package",
        c -> c.getPackageName().contains(".persistence") && c.isAnnotatedWith(ENTITY));
  }

  private static DescribedPredicate<JavaClass> areInAFeatureRoot(String servicePackage) {
    String prefix = servicePackage + ".";
    return DescribedPredicate.describe(
        "are in a feature root package " + servicePackage + ".<feature>",
        c -> {
          String pkg = c.getPackageName();
          if (!pkg.startsWith(prefix)) {
            return false;
          }
          String rest = pkg.substring(prefix.length());
          return !rest.contains(".") && !NOT_FEATURES.contains(rest);
        });
  }
}
