package dev.slipway.install;

/** An install profile: how many replicas, how big, and where Kafka and PostgreSQL come from. */
public enum Profile {
  /**
   * One replica each, small sizes, a Strimzi Kafka and a CloudNativePG cluster in the platform
   * namespace.
   */
  DEV("dev", 1, "100m", "384Mi", "1", "512Mi", true),
  /**
   * Two replicas of every service spread over nodes and zones, sizes for real load, Kafka and
   * PostgreSQL outside the cluster, reached through Secrets the operator creates.
   */
  PRODUCTION("production", 2, "500m", "1Gi", "2", "1536Mi", false);

  private final String directory;
  private final int replicas;
  private final String cpuRequest;
  private final String memoryRequest;
  private final String cpuLimit;
  private final String memoryLimit;
  private final boolean inClusterInfrastructure;

  Profile(
      String directory,
      int replicas,
      String cpuRequest,
      String memoryRequest,
      String cpuLimit,
      String memoryLimit,
      boolean inClusterInfrastructure) {
    this.directory = directory;
    this.replicas = replicas;
    this.cpuRequest = cpuRequest;
    this.memoryRequest = memoryRequest;
    this.cpuLimit = cpuLimit;
    this.memoryLimit = memoryLimit;
    this.inClusterInfrastructure = inClusterInfrastructure;
  }

  /** The folder under {@code k8s/install/}. */
  public String directory() {
    return directory;
  }

  public int replicas() {
    return replicas;
  }

  public String cpuRequest() {
    return cpuRequest;
  }

  public String memoryRequest() {
    return memoryRequest;
  }

  public String cpuLimit() {
    return cpuLimit;
  }

  public String memoryLimit() {
    return memoryLimit;
  }

  /** Whether Kafka and PostgreSQL run in the platform namespace, made by their operators. */
  public boolean inClusterInfrastructure() {
    return inClusterInfrastructure;
  }
}
