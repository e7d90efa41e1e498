package dev.slipway.testkit.archfixture.bad.orders;

import dev.slipway.testkit.archfixture.bad.billing.Invoices;
import jakarta.ws.rs.core.Response;

/**
 * Bad fixture: a domain class answering with a JAX-RS type and calling billing, which calls back.
 */
public class Orders {

  public Response place(Invoices invoices) {
    invoices.bill(this);
    return Response.ok().build();
  }
}
