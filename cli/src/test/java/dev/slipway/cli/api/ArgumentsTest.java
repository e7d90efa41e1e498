package dev.slipway.cli.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.slipway.cli.CliException;
import dev.slipway.cli.Main;
import dev.slipway.cli.config.Service;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class ArgumentsTest {

  @Test
  void configSetTakesNameEqualsValueWithEqualsSignsAllowedInTheValue() {
    assertEquals(
        Map.of("A", "1", "URL", "postgres://x?a=b", "EMPTY", ""),
        ConfigCommands.pairs(List.of("A=1", "URL=postgres://x?a=b", "EMPTY=")));
    assertThrows(CliException.class, () -> ConfigCommands.pairs(List.of("=1")));
    assertThrows(CliException.class, () -> ConfigCommands.pairs(List.of("NOVALUE")));
  }

  @Test
  void addonCommandsTakeTheAppAsDashA() {
    AddonCommands.Create create = new AddonCommands.Create();
    new CommandLine(create).parseArgs("heroku-postgresql", "-a", "shop");
    assertEquals("heroku-postgresql", create.plan);
    assertEquals("shop", create.target.app);
    AddonCommands.Destroy destroy = new AddonCommands.Destroy();
    new CommandLine(destroy).parseArgs("postgresql-flat-04217", "--app", "shop");
    assertEquals("postgresql-flat-04217", destroy.name);
    assertEquals("shop", destroy.target.app);
    assertThrows(
        CommandLine.MissingParameterException.class,
        () -> new CommandLine(new AddonCommands.ListAddons()).parseArgs());
  }

  @Test
  void releaseVersionsAreWrittenWithAV() {
    assertEquals("v7", ReleaseCommands.version("7"));
    assertEquals("v12", ReleaseCommands.version("v12"));
    assertThrows(CliException.class, () -> ReleaseCommands.version("latest"));
  }

  @Test
  void logsTakeExactlyOneOfAppBuildAndTestRun() {
    assertEquals(
        new LogsCommand.Target(Service.DEPLOY, "/apps/shop/logs?tail=100"),
        LogsCommand.target("shop", null, null, 0, 100));
    assertEquals(
        new LogsCommand.Target(Service.TEST, "/test-runs/r1/nodes/2/output"),
        LogsCommand.target(null, null, "r1", 2, 100));
    assertThrows(CliException.class, () -> LogsCommand.target("shop", "b1", null, 0, 100));
    assertThrows(CliException.class, () -> LogsCommand.target(null, null, null, 0, 100));
  }

  @Test
  void pipelinesCreateBuildsCouplingsFromStageFlags() {
    PipelineCommands.Create create = new PipelineCommands.Create();
    new CommandLine(create)
        .parseArgs(
            "shop",
            "--repo",
            "https://g/acme/shop",
            "--staging",
            "shop-staging",
            "--production",
            "shop",
            "--review-apps");
    assertEquals(
        "{\"name\":\"shop\",\"repository_url\":\"https://g/acme/shop\",\"couplings\":["
            + "{\"stage\":\"staging\",\"app_name\":\"shop-staging\"},"
            + "{\"stage\":\"production\",\"app_name\":\"shop\"}],\"review_apps\":{\"enabled\":true}}",
        create.body().toString());
  }

  @Test
  void generatedWebhookSecretsAreLongRandomAndUrlSafe() {
    String one = PipelineCommands.generateWebhookSecret();
    String two = PipelineCommands.generateWebhookSecret();
    assertEquals(43, one.length());
    assertTrue(one.matches("[A-Za-z0-9_-]+"), one);
    assertNotEquals(one, two);
  }

  @Test
  void pipelinesUpdateWithoutAValueAsksForAGeneratedWebhookSecret() {
    PipelineCommands.Update bare = new PipelineCommands.Update();
    new CommandLine(bare).parseArgs("shop", "--webhook-secret");
    assertEquals("", bare.webhookSecret);
    PipelineCommands.Update given = new PipelineCommands.Update();
    new CommandLine(given).parseArgs("shop", "--webhook-secret", "0123456789abcdef");
    assertEquals("0123456789abcdef", given.webhookSecret);
  }

  @Test
  void aMissingRequiredOptionIsAUsageErrorNotAStackTrace() {
    StringWriter err = new StringWriter();
    CommandLine cmd = Main.commandLine();
    cmd.setErr(new PrintWriter(err));
    int code = cmd.execute("pipelines:create", "shop");
    assertEquals(2, code);
    assertTrue(err.toString().contains("Missing required option: '--repo=URL'"), err.toString());
  }

  @Test
  void anUnreachableServiceIsReportedInOneLineWithExitCodeOne() {
    StringWriter err = new StringWriter();
    CommandLine cmd = Main.commandLine();
    cmd.setErr(new PrintWriter(err));
    int code = cmd.execute("pipelines", "--url", "http://127.0.0.1:1");
    assertEquals(1, code);
    assertTrue(err.toString().startsWith("error: cannot reach promotion-service"), err.toString());
    assertEquals(1, err.toString().strip().lines().count(), err.toString());
  }
}
