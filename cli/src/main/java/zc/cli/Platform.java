package zc.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** What zc needs from the machine, checked up front so users get one clear line instead of a failure mid-run. */
public final class Platform {
    private Platform() {
    }

    /** zc reads /proc and calls sendfile and splice: Linux only. */
    public static void requireLinux(String osName) {
        if (!osName.toLowerCase(Locale.ROOT).startsWith("linux")) {
            throw new ZcException(ExitCodes.UNSUPPORTED, "needs Linux (/proc counters, sendfile, splice); this is "
                    + osName);
        }
    }

    public static void requireLinux() {
        requireLinux(System.getProperty("os.name"));
    }

    /** The zc-agent.jar built next to this tool (scripts/zc sets zc.home to the checkout). */
    public static Path agentJar() {
        String home = System.getProperty("zc.home");
        return Path.of(home != null ? home : ".", "agent", "target", "zc-agent.jar").toAbsolutePath();
    }

    /** The absolute path of a program on PATH, or null. */
    public static Path onPath(String program) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            Path p = Path.of(dir.isEmpty() ? "." : dir, program);
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        for (String dir : new String[] {"/usr/sbin", "/sbin"}) {
            Path p = Path.of(dir, program);
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        return null;
    }
}
