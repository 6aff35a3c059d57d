package zc.proc;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Small facts read from single files (a /proc/sys setting) and where zc keeps its cache. The machine itself (CPU,
 * memory, kernel, NICs, file systems) comes from OSHI on the CLI side: {@code zc.session.env.Machine}.
 */
public final class SystemFacts {
    private SystemFacts() {
    }

    public static String firstLine(Path file) {
        try {
            return Files.readAllLines(file).stream().findFirst().orElse("?").strip();
        } catch (IOException | RuntimeException e) {
            return "?";
        }
    }

    /** $XDG_CACHE_HOME/zc, or ~/.cache/zc: where zc keeps test files and extracted tools between runs. */
    public static Path cacheDir() {
        String xdg = System.getenv("XDG_CACHE_HOME");
        return (xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache"))
                .resolve("zc");
    }
}
