package dev.slipway.deploy.addons.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;

/** An add-on as stored: its app, plan, database and the config var it is attached as. */
@Entity
@Table(name = "addon")
public class AddonEntity {

  @Id public String name;

  @Column(name = "app_name", nullable = false)
  public String appName;

  @Column(nullable = false)
  public String plan;

  @Column(name = "database_name", nullable = false)
  public String databaseName;

  @Column(name = "config_var", nullable = false)
  public String configVar;

  @Column(name = "created_by", nullable = false)
  public String createdBy;

  @Column(name = "created_at", nullable = false)
  public OffsetDateTime createdAt;
}
