package dev.slipway.kubernetes.namespace;

import java.util.Objects;

/**
 * What a Slipway service may do inside a namespace it manages, granted in that namespace when it
 * creates it: a RoleBinding that binds a ClusterRole (installed with Slipway, listing only what the
 * service needs there) to the service's ServiceAccount in the platform namespace. Cluster-wide the
 * service may then create namespaces and little else (ADR 0016, docs/security.md).
 *
 * @param roleBinding the RoleBinding's name in each managed namespace
 * @param clusterRole the ClusterRole it binds
 * @param serviceAccount the service's ServiceAccount
 * @param serviceAccountNamespace the namespace Slipway's services run in
 */
public record ManagedNamespaceAccess(
    String roleBinding, String clusterRole, String serviceAccount, String serviceAccountNamespace) {

  public ManagedNamespaceAccess {
    requireText(roleBinding, "roleBinding");
    requireText(clusterRole, "clusterRole");
    requireText(serviceAccount, "serviceAccount");
    if (!NamespaceNames.isValid(serviceAccountNamespace)) {
      throw new IllegalArgumentException(
          "not a namespace name: service account namespace " + serviceAccountNamespace);
    }
  }

  /**
   * The names Slipway's install uses for {@code service}: RoleBinding and ClusterRole {@code
   * slipway-<service>-in-managed-namespace}, ServiceAccount {@code <service>} in {@code slipway}.
   */
  public static ManagedNamespaceAccess defaults(String service) {
    String name = "slipway-" + service + "-in-managed-namespace";
    return new ManagedNamespaceAccess(name, name, service, "slipway");
  }

  private static void requireText(String value, String field) {
    Objects.requireNonNull(value, field);
    if (value.isBlank()) {
      throw new IllegalArgumentException(field + " must not be blank");
    }
  }
}
