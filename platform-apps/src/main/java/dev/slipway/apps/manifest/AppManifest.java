package dev.slipway.apps.manifest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Objects;

/** An app's app.json and Procfile, read from the root of its source tree. */
public record AppManifest(AppJson appJson, Procfile procfile) {

  /** Larger manifests are certainly not hand-written and would only cost memory to parse. */
  public static final long MAX_MANIFEST_BYTES = 1024 * 1024;

  public AppManifest {
    Objects.requireNonNull(appJson, "appJson");
    Objects.requireNonNull(procfile, "procfile");
  }

  /**
   * Reads {@code app.json} and {@code Procfile} from {@code appDir}; a missing file gives {@link
   * AppJson#defaults()} or {@link Procfile#empty()}. A manifest that is a symlink leading outside
   * {@code appDir} is refused, so a repository cannot make the platform read (and echo in errors)
   * its own files.
   *
   * @throws ManifestException when a file is malformed, too large, not UTF-8, or not a file
   * @throws UncheckedIOException when a file exists but cannot be read
   */
  public static AppManifest read(Path appDir) {
    String appJson = readIfPresent(appDir, AppJsonParser.FILE);
    String procfile = readIfPresent(appDir, Procfile.FILE);
    return new AppManifest(
        appJson == null ? AppJson.defaults() : AppJson.parse(appJson),
        procfile == null ? Procfile.empty() : Procfile.parse(procfile));
  }

  /** Whether the app declared anything in an app.json (a missing file reads as defaults). */
  public boolean hasAppJson() {
    return !appJson.equals(AppJson.defaults());
  }

  public boolean hasProcfile() {
    return !procfile.isEmpty();
  }

  private static String readIfPresent(Path appDir, String name) {
    Path file = appDir.resolve(name);
    if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
      return null;
    }
    Path real;
    try {
      real = file.toRealPath();
    } catch (NoSuchFileException e) {
      // A dangling symlink: Heroku would not see the file either.
      return null;
    } catch (IOException e) {
      // A symlink loop, or a link through something that is not a directory: the repository's.
      throw new ManifestException(name, "(root)", "is a symlink that cannot be followed");
    }
    try {
      if (!real.startsWith(appDir.toRealPath())) {
        throw new ManifestException(name, "(root)", "is a symlink leading outside the app");
      }
      if (!Files.isRegularFile(real)) {
        throw new ManifestException(name, "(root)", "is not a regular file");
      }
      if (Files.size(real) > MAX_MANIFEST_BYTES) {
        throw new ManifestException(
            name, "(root)", "is larger than " + MAX_MANIFEST_BYTES + " bytes");
      }
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(Files.readAllBytes(real)))
          .toString();
    } catch (NoSuchFileException e) {
      // A dangling symlink: Heroku would not see the file either.
      return null;
    } catch (CharacterCodingException e) {
      throw new ManifestException(name, "(root)", "is not valid UTF-8");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }
}
