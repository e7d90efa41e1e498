package dev.slipway.local;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.common.config.SaslConfigs;

/**
 * The SCRAM passwords of the local broker's principals, generated once and kept in a file only the
 * platform user can read (0600), so that they never travel on a command line.
 */
public final class KafkaCredentials {

  /** The SASL mechanism every client of the local broker uses. */
  public static final String MECHANISM = "SCRAM-SHA-256";

  /**
   * The platform's own administrator (topic and ACL provisioning): the broker's only super user.
   */
  public static final String ADMIN = "slipway-admin";

  /**
   * The broker's own principal on its controller listener, where KRaft allows SASL/PLAIN but not
   * SCRAM; a super user like {@link #ADMIN}.
   */
  public static final String CONTROLLER = "slipway-controller";

  private static final SecureRandom RANDOM = new SecureRandom();

  private final Path file;
  private final Properties passwords;

  private KafkaCredentials(Path file, Properties passwords) {
    this.file = file;
    this.passwords = passwords;
  }

  /** Reads {@code file}, creating it if missing. */
  public static synchronized KafkaCredentials open(Path file) {
    Properties passwords = new Properties();
    passwords.putAll(PrivateFiles.readProperties(file));
    KafkaCredentials credentials = new KafkaCredentials(file, passwords);
    if (!Files.exists(file)) {
      credentials.save();
    }
    return credentials;
  }

  /** The file the passwords are kept in. */
  public Path file() {
    return file;
  }

  /** The password of {@code principal}, generated and saved on first use. */
  public synchronized String password(String principal) {
    String password = passwords.getProperty(principal);
    if (password == null) {
      reload();
      password = passwords.getProperty(principal);
    }
    if (password == null) {
      byte[] bytes = new byte[24];
      RANDOM.nextBytes(bytes);
      password = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
      passwords.setProperty(principal, password);
      save();
    }
    return password;
  }

  /** Every SCRAM principal with a password (the controller's PLAIN login is not one). */
  public synchronized Set<String> scramPrincipals() {
    reload();
    Set<String> names = new TreeSet<>(passwords.stringPropertyNames());
    names.remove(CONTROLLER);
    return names;
  }

  /**
   * The client properties (Kafka's own names, without the {@code kafka.} prefix Quarkus uses) that
   * authenticate as {@code principal}.
   */
  public Map<String, String> clientConfig(String principal) {
    Map<String, String> config = new HashMap<>();
    config.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SASL_PLAINTEXT");
    config.put(SaslConfigs.SASL_MECHANISM, MECHANISM);
    config.put(SaslConfigs.SASL_JAAS_CONFIG, scramJaas(principal, password(principal)));
    return config;
  }

  /** A JAAS login for SCRAM; the password is quoted, and generated passwords need no escaping. */
  static String scramJaas(String user, String password) {
    return "org.apache.kafka.common.security.scram.ScramLoginModule required username=\""
        + user
        + "\" password=\""
        + password
        + "\";";
  }

  private void reload() {
    passwords.putAll(PrivateFiles.readProperties(file));
  }

  /** Written as a 0600 file (PrivateFiles), so it is never readable by others. */
  private void save() {
    Map<String, String> values = new TreeMap<>();
    passwords.stringPropertyNames().forEach(k -> values.put(k, passwords.getProperty(k)));
    PrivateFiles.writeProperties(
        file, values, "SCRAM passwords of the local Kafka broker's principals; keep private");
  }
}
