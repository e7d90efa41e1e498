package dev.slipway.testkit.archfixture.good.billing;

import dev.slipway.testkit.archfixture.good.orders.Order;

/** Good fixture: billing depends on orders, one way. */
public class Invoices {

  public long bill(Order order) {
    return order.id();
  }
}
