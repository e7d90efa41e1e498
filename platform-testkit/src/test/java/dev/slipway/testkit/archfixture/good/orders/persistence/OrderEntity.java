package dev.slipway.testkit.archfixture.good.orders.persistence;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;

/** Good fixture: an entity used only inside persistence. */
@Entity
public class OrderEntity {
  @Id public Long id;
}
