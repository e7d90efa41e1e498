package dev.slipway.testkit.archfixture.bad.billing;

import dev.slipway.testkit.archfixture.bad.orders.Orders;

/** Bad fixture: billing depends on orders, which depends on billing (a package cycle). */
public class Invoices {

  public void bill(Orders orders) {}
}
