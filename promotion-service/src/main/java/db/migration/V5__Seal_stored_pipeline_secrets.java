package db.migration;

import dev.slipway.events.SecretBox;
import dev.slipway.events.pipeline.PipelineSnapshot;
import dev.slipway.platform.secrets.PlatformSecrets;
import dev.slipway.promotion.pipeline.persistence.StoredSecrets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;
import org.eclipse.microprofile.config.ConfigProvider;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * Seals the pipeline secrets V3 stored in plain text (webhook secret, forge token, test and review
 * config vars) under the platform key, as {@code Pipelines} now writes them (ADR 0011). A Java
 * migration because the key is configuration, which SQL cannot see; Flyway finds it in this
 * package, one of its locations.
 */
public class V5__Seal_stored_pipeline_secrets extends BaseJavaMigration {

  /** Column → the field name its value is bound to (the same as on the pipelines topic). */
  static final Map<String, String> COLUMNS =
      Map.of(
          "webhook_secret", PipelineSnapshot.Sealed.WEBHOOK_SECRET,
          "forge_token", PipelineSnapshot.Sealed.FORGE_TOKEN,
          "test_config_vars", PipelineSnapshot.Sealed.TEST_CONFIG_VARS,
          "review_config_vars", PipelineSnapshot.Sealed.REVIEW_CONFIG_VARS);

  @Override
  public void migrate(Context context) throws Exception {
    sealPlaintext(context.getConnection());
  }

  /**
   * Seals every stored secret that does not already open under the platform key; rows sealed
   * already are left as they are, so running it twice changes nothing.
   */
  public static void sealPlaintext(Connection c) throws Exception {
    SecretBox box = null;
    try (Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT id, webhook_secret, forge_token, test_config_vars, review_config_vars"
                    + " FROM pipeline FOR UPDATE")) {
      while (rs.next()) {
        String id = rs.getString("id");
        Map<String, String> sealed = new LinkedHashMap<>();
        for (Map.Entry<String, String> column : COLUMNS.entrySet()) {
          String value = rs.getString(column.getKey());
          if (value == null) {
            continue;
          }
          if (box == null) {
            box =
                PlatformSecrets.boxFor(
                    ConfigProvider.getConfig()
                        .getOptionalValue("slipway.secrets.key", String.class));
          }
          if (StoredSecrets.open(box, id, column.getValue(), value).isEmpty()) {
            sealed.put(column.getKey(), StoredSecrets.seal(box, id, column.getValue(), value));
          }
        }
        for (Map.Entry<String, String> update : sealed.entrySet()) {
          try (PreparedStatement u =
              c.prepareStatement(
                  "UPDATE pipeline SET " + update.getKey() + " = ? WHERE id = ?::uuid")) {
            u.setString(1, update.getValue());
            u.setString(2, id);
            u.executeUpdate();
          }
        }
      }
    }
  }
}
