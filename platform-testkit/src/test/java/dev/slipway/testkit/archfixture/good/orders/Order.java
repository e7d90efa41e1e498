package dev.slipway.testkit.archfixture.good.orders;

/** Good fixture: the domain record other layers see. */
public record Order(long id) {}
