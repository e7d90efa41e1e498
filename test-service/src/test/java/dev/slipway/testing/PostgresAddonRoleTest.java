package dev.slipway.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.slipway.platform.addons.PostgresDatabases;
import dev.slipway.testkit.SlipwayInfrastructure;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * A heroku-postgresql add-on database, made by the test-service with its own role, is all its
 * DATABASE_URL reaches: not Slipway's database, not the maintenance one, nothing without the
 * password.
 */
@QuarkusTest
@QuarkusTestResource(SlipwayInfrastructure.class)
@QuarkusTestResource(ForgeStandIn.class)
class PostgresAddonRoleTest {

  @Inject AgroalDataSource dataSource;

  @ConfigProperty(name = "quarkus.datasource.jdbc.url")
  String jdbcUrl;

  @Test
  void anAddonRoleReachesItsOwnDatabaseOnlyAndPlatformSchemasNotAtAll() throws Exception {
    PostgresDatabases addons = new PostgresDatabases(dataSource, "slipway_ci_", jdbcUrl);
    PostgresDatabases.Database db = addons.create("roletest" + System.nanoTime());
    try {
      URI url = URI.create(db.url());
      String user = url.getUserInfo().split(":")[0];
      String password = url.getUserInfo().split(":")[1];
      String server = "jdbc:postgresql://" + url.getHost() + ":" + url.getPort() + "/";
      try (Connection own = DriverManager.getConnection(server + db.name(), user, password);
          Statement s = own.createStatement()) {
        s.execute("CREATE TABLE app_data (v TEXT)");
        s.execute("INSERT INTO app_data VALUES ('the app''s own')");
        try (ResultSet rs = s.executeQuery("SELECT v FROM app_data")) {
          assertTrue(rs.next());
          assertEquals("the app's own", rs.getString(1));
        }
      }
      for (String platform : new String[] {"slipway", "postgres"}) {
        SQLException refused =
            assertThrows(
                SQLException.class,
                () -> DriverManager.getConnection(server + platform, user, password).close());
        assertTrue(refused.getMessage().contains("permission denied"), refused.getMessage());
      }
      SQLException noPassword =
          assertThrows(
              SQLException.class,
              () -> DriverManager.getConnection(server + db.name(), user, "").close());
      assertTrue(noPassword.getMessage().contains("password"), noPassword.getMessage());
    } finally {
      addons.drop(db);
    }
    var infra = SlipwayInfrastructure.get();
    try (Connection c =
            DriverManager.getConnection(infra.jdbcUrl(), infra.user(), infra.password());
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery("SELECT count(*) FROM pg_roles WHERE rolname = '" + db.name() + "'")) {
      rs.next();
      assertEquals(0, rs.getInt(1), "dropping the database drops its role");
    }
  }
}
