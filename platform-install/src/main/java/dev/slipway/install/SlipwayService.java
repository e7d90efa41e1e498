package dev.slipway.install;

import dev.slipway.events.ConsumerGroups;

/** The four services as the manifests need them: name, HTTP port, database role. */
public enum SlipwayService {
  BUILD(ConsumerGroups.BUILD_SERVICE, 8081),
  TEST(ConsumerGroups.TEST_SERVICE, 8082),
  DEPLOY(ConsumerGroups.DEPLOY_SERVICE, 8083),
  PROMOTION(ConsumerGroups.PROMOTION_SERVICE, 8084);

  /** The platform namespace: the services, their ServiceAccounts, Leases, Kafka and PostgreSQL. */
  public static final String NAMESPACE = "slipway";

  /** Where build-service runs its build Jobs (docs/kubernetes-builds.md). */
  public static final String BUILDS_NAMESPACE = "slipway-builds";

  private final String serviceName;
  private final int port;

  SlipwayService(String serviceName, int port) {
    this.serviceName = serviceName;
    this.port = port;
  }

  /** Name of the service, its Deployment, ServiceAccount, Kafka principal and consumer group. */
  public String serviceName() {
    return serviceName;
  }

  public int port() {
    return port;
  }

  /** The PostgreSQL login role, named like the service's schema (ADR 0011). */
  public String databaseRole() {
    return serviceName.replace('-', '_');
  }

  /** The full name of the ServiceAccount as the API server reports it in {@code userInfo}. */
  public String serviceAccountUser() {
    return "system:serviceaccount:" + NAMESPACE + ":" + serviceName;
  }
}
