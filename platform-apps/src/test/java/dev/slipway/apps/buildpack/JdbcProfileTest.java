package dev.slipway.apps.buildpack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The Maven buildpack's {@code .profile.d/jdbc.sh}, sourced by {@code sh} as a dyno sources it: the
 * JDBC_DATABASE_* variables a Java app reads on Heroku, derived from DATABASE_URL.
 */
class JdbcProfileTest {

  @TempDir Path dir;
  private Path buildpack;

  @BeforeEach
  void extract() throws IOException {
    buildpack = BuiltinBuildpacks.extract(dir.resolve("buildpacks")).get("maven");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "postgres://shop_1:s3cret@db.internal:5433/shop"
            + " | jdbc:postgresql://db.internal:5433/shop?user=shop_1&password=s3cret"
            + " | shop_1 | s3cret",
        "postgres://u:p@db.internal:5432/shop?sslmode=require&connect_timeout=5"
            + " | jdbc:postgresql://db.internal:5432/shop?sslmode=require&connect_timeout=5"
            + "&user=u&password=p | u | p",
        "postgresql://u:pa:ss@127.0.0.1:6543/d"
            + " | jdbc:postgresql://127.0.0.1:6543/d?user=u&password=pa:ss | u | pa:ss",
        "postgres://u:p@db.internal/shop | jdbc:postgresql://db.internal/shop?user=u&password=p"
            + " | u | p",
      })
  void setsTheJdbcVariablesFromDatabaseUrl(
      String databaseUrl, String jdbcUrl, String user, String password) throws Exception {
    assertEquals(List.of(jdbcUrl, user, password), source(Map.of("DATABASE_URL", databaseUrl)));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "mysql://u:p@db/shop",
    "postgres://db.internal:5432/shop",
    "postgres://u@db.internal:5432/shop",
    "postgres://u:p@db.internal:5432",
    "not a url",
  })
  void leavesTheJdbcVariablesUnsetForAUrlItCannotRead(String databaseUrl) throws Exception {
    assertEquals(List.of("", "", ""), source(Map.of("DATABASE_URL", databaseUrl)));
  }

  @Test
  void setsNothingWithoutDatabaseUrl() throws Exception {
    assertEquals(List.of("", "", ""), source(Map.of()));
  }

  @Test
  void aJdbcDatabaseUrlSetByHandWins() throws Exception {
    assertEquals(
        List.of("jdbc:postgresql://elsewhere/x", "", ""),
        source(
            Map.of(
                "DATABASE_URL",
                "postgres://u:p@h:5432/d",
                "JDBC_DATABASE_URL",
                "jdbc:postgresql://elsewhere/x")));
  }

  @Test
  void leavesNoHelperVariableOrFunctionBehind() throws Exception {
    String out =
        run(
            Map.of("DATABASE_URL", "postgres://u:p@h:5432/d"),
            "set | grep -c -e _sj_ -e _slipway_jdbc || true");
    assertEquals("0", out.strip());
  }

  @Test
  void theBuildpackWritesTheProfileIntoTheApp() throws Exception {
    Path app = Files.createDirectories(dir.resolve("app"));
    Process p =
        new ProcessBuilder(
                "bash",
                "-c",
                "BP_DIR=\"$1\"; source \"$1/lib/common.sh\"; source \"$1/lib/maven.sh\";"
                    + " maven::write_jdbc_profile \"$2\"",
                "test",
                buildpack.toString(),
                app.toString())
            .redirectErrorStream(true)
            .start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, p.waitFor(), output);
    Path profile = app.resolve(".profile.d/jdbc.sh");
    assertEquals(Files.readString(buildpack.resolve("profile/jdbc.sh")), Files.readString(profile));
    assertEquals(
        "rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(profile)));
    assertTrue(output.contains("jdbc.sh"), output);
  }

  /** JDBC_DATABASE_URL, _USERNAME and _PASSWORD after sourcing the profile with {@code env}. */
  private List<String> source(Map<String, String> env) throws Exception {
    String out =
        run(
            env,
            "printf '%s\\n%s\\n%s\\n' \"${JDBC_DATABASE_URL:-}\" \"${JDBC_DATABASE_USERNAME:-}\""
                + " \"${JDBC_DATABASE_PASSWORD:-}\"");
    return List.of(out.split("\n", -1)).subList(0, 3);
  }

  private String run(Map<String, String> env, String after) throws Exception {
    ProcessBuilder pb =
        new ProcessBuilder("sh", "-c", ". \"$1\"; " + after, "sh", profile().toString());
    Map<String, String> environment = pb.environment();
    environment.keySet().removeIf(k -> k.startsWith("JDBC_") || k.equals("DATABASE_URL"));
    environment.putAll(new HashMap<>(env));
    Process p = pb.redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, p.waitFor(), out);
    return out;
  }

  private Path profile() {
    return buildpack.resolve("profile/jdbc.sh");
  }
}
