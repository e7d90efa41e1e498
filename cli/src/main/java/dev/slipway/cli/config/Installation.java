package dev.slipway.cli.config;

import dev.slipway.events.SecretBox;
import dev.slipway.local.PrivateFiles;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;

/**
 * {@code <data-dir>/config.properties}: the installation's admin token, secrets key and where its
 * services listen. Written by {@code slipway up}, read by every API command.
 */
public final class Installation {

  public static final String FILE = "config.properties";
  static final String ADMIN_TOKEN = "admin-token";
  static final String SECRETS_KEY = "secrets-key";
  static final String BASE_PORT = "base-port";
  static final String ROUTER_PORT = "router-port";

  private final Path dataDir;
  private final Properties properties;

  private Installation(Path dataDir, Properties properties) {
    this.dataDir = dataDir;
    this.properties = properties;
  }

  /** The installation in {@code dataDir}, empty when {@code slipway up} never ran there. */
  public static Installation load(Path dataDir) {
    Properties p = new Properties();
    Path file = dataDir.resolve(FILE);
    if (Files.isRegularFile(file)) {
      try (InputStream in = Files.newInputStream(file)) {
        p.load(in);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + file, e);
      }
    }
    return new Installation(dataDir, p);
  }

  /**
   * Loads the installation and generates its admin token and secrets key if it has none yet; they
   * are kept for good, since pipelines' sealed secrets and issued scripts depend on them.
   */
  public static Installation loadOrCreate(Path dataDir) {
    Installation installation = load(dataDir);
    if (installation.adminToken().isEmpty()) {
      installation.properties.setProperty(ADMIN_TOKEN, newToken());
    }
    if (installation.secretsKey().isEmpty()) {
      installation.properties.setProperty(SECRETS_KEY, SecretBox.generateKey());
    }
    return installation;
  }

  /** A token in the services' format: {@code slp_} and 32 random bytes in unpadded base64url. */
  static String newToken() {
    byte[] bytes = new byte[32];
    new SecureRandom().nextBytes(bytes);
    return "slp_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  public Path dataDir() {
    return dataDir;
  }

  public boolean exists() {
    return Files.isRegularFile(dataDir.resolve(FILE));
  }

  public Optional<String> adminToken() {
    return value(ADMIN_TOKEN);
  }

  public Optional<String> secretsKey() {
    return value(SECRETS_KEY);
  }

  public Optional<Integer> basePort() {
    return value(BASE_PORT).map(Integer::valueOf);
  }

  public Optional<Integer> routerPort() {
    return value(ROUTER_PORT).map(Integer::valueOf);
  }

  public void setPorts(int base, int router) {
    properties.setProperty(BASE_PORT, Integer.toString(base));
    properties.setProperty(ROUTER_PORT, Integer.toString(router));
  }

  private Optional<String> value(String key) {
    return Optional.ofNullable(properties.getProperty(key)).filter(v -> !v.isBlank());
  }

  /**
   * Writes the file readable by its owner only (0600), in a data directory only its owner may enter
   * (0700): it holds the admin token and the secrets key.
   */
  public void save() {
    PrivateFiles.directory(dataDir);
    Map<String, String> values = new TreeMap<>();
    properties.stringPropertyNames().forEach(k -> values.put(k, properties.getProperty(k)));
    PrivateFiles.writeProperties(
        dataDir.resolve(FILE),
        values,
        "Slipway installation: written by `slipway up`; keep it private");
  }
}
