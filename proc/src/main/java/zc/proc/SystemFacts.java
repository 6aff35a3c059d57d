package zc.proc;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Facts about this machine for the conditions printed beside every measurement. "?" where unknown. */
public final class SystemFacts {
    private SystemFacts() {
    }

    public static String kernel() {
        return firstLine(Path.of("/proc/sys/kernel/osrelease"));
    }

    public static String cpuModel() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .map(l -> l.substring(l.indexOf(':') + 1).strip()).findFirst().orElse("?");
        } catch (IOException e) {
            return "?";
        }
    }

    public static String memTotal() {
        try {
            return Files.readAllLines(Path.of("/proc/meminfo")).stream().filter(l -> l.startsWith("MemTotal:"))
                    .map(l -> Long.parseLong(l.replaceAll("\\D", "")) / (1024 * 1024) + " GiB").findFirst()
                    .orElse("?");
        } catch (IOException | NumberFormatException e) {
            return "?";
        }
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
