package dev.slipway.apps.manifest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading app.json and Procfile from an app directory on disk. */
class AppManifestTest {
  @TempDir Path dir;

  @Test
  void missingFilesGiveDefaults() {
    AppManifest manifest = AppManifest.read(dir);

    assertEquals(AppJson.defaults(), manifest.appJson());
    assertEquals(Procfile.empty(), manifest.procfile());
    assertFalse(manifest.hasAppJson());
    assertFalse(manifest.hasProcfile());
  }

  @Test
  void readsAppJsonAndProcfile() throws Exception {
    Files.writeString(dir.resolve("app.json"), "{\"scripts\": {\"postdeploy\": \"bin/seed\"}}");
    Files.writeString(dir.resolve("Procfile"), "web: bin/server\n");

    AppManifest manifest = AppManifest.read(dir);

    assertEquals("bin/seed", manifest.appJson().scripts().postdeploy());
    assertEquals(Optional.of("bin/server"), manifest.procfile().command("web"));
    assertTrue(manifest.hasAppJson());
    assertTrue(manifest.hasProcfile());
  }

  @Test
  void symlinkLeadingOutsideTheAppIsRefused() throws Exception {
    Path app = Files.createDirectory(dir.resolve("app"));
    Path secret = Files.writeString(dir.resolve("secret"), "web: leaked\n");
    Files.createSymbolicLink(app.resolve("Procfile"), secret);

    ManifestException e = assertThrows(ManifestException.class, () -> AppManifest.read(app));

    assertEquals("Procfile: (root): is a symlink leading outside the app", e.getMessage());
  }

  @Test
  void symlinkWithinTheAppIsFollowed() throws Exception {
    Files.writeString(dir.resolve("Procfile.prod"), "web: bin/server\n");
    Files.createSymbolicLink(dir.resolve("Procfile"), Path.of("Procfile.prod"));

    assertEquals(Optional.of("bin/server"), AppManifest.read(dir).procfile().command("web"));
  }

  @Test
  void invalidUtf8IsRefused() throws Exception {
    Files.write(dir.resolve("app.json"), new byte[] {'{', (byte) 0xC3, (byte) 0x28, '}'});

    ManifestException e = assertThrows(ManifestException.class, () -> AppManifest.read(dir));

    assertEquals("app.json: (root): is not valid UTF-8", e.getMessage());
  }

  @Test
  void malformedProcfileErrorComesThroughRead() throws Exception {
    Files.writeString(dir.resolve("Procfile"), "web: ok\nnot a process line\n");

    ManifestException e = assertThrows(ManifestException.class, () -> AppManifest.read(dir));

    assertEquals("line 2", e.key());
  }
}
