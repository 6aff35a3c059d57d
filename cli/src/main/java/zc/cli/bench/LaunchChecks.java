package zc.cli.bench;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;
import zc.cli.ExitCodes;
import zc.cli.ZcException;

/**
 * What {@code zc bench startup} checks so that a table never measures the wrong thing in silence: options that would
 * make the agent refuse to load, an agent that refused or disabled itself in a measured run, a class-data archive
 * the JVM did not use, and a bare java name, which a shell would look up on PATH.
 */
final class LaunchChecks {
    /**
     * The agent's own lines when it did not load (boot.Installer, ZcAgent): bad options and unwritable out= ("...; zc
     * is disabled, the application runs unchanged"), a failure while installing ("zc-agent: disabled, ..."), a
     * second copy in the same JVM ("already installed in this JVM").
     */
    private static final Pattern AGENT_REFUSED = Pattern.compile(
            "^zc-agent: (.*zc is disabled, the application runs unchanged.*|disabled, the application runs unchanged.*"
                    + "|already installed in this JVM.*)$");
    /**
     * The JVM's unified-log warnings and errors about its class-data archive: JDK 17's dynamic AppCDS archive
     * ("[warning][cds,dynamic] Unable to use shared archive. The top archive failed to load: ..."), JDK 25's AOT
     * cache ("[error  ][aot] An error has occurred while processing the AOT cache", "Unable to map shared spaces").
     */
    private static final Pattern ARCHIVE_FAILED = Pattern.compile(
            "^\\[[^]]*\\]\\[(warning|error) *\\]\\[(cds|aot)\\b.*$");

    private LaunchChecks() {
    }

    /**
     * Each variant sets the mode, cache and hook itself; a second mode= makes the agent refuse to load ("mode given
     * twice").
     */
    static void requireNoMode(String agentOptions) {
        for (String option : agentOptions.split(",")) {
            if (option.strip().equals("mode") || option.strip().startsWith("mode=")) {
                throw new ZcException(ExitCodes.USAGE, "--agent-options must not set mode: the variants set it "
                        + "(mode=observe, mode=rewrite)");
            }
            if (option.strip().equals("cache") || option.strip().startsWith("cache=")) {
                throw new ZcException(ExitCodes.USAGE, "--agent-options must not set cache: the bench uses a rewrite "
                        + "cache of its own, emptied at the start, and cache=off in the 'rewrite, cache off' variant");
            }
            if (option.strip().equals("hook") || option.strip().startsWith("hook=")) {
                throw new ZcException(ExitCodes.USAGE, "--agent-options must not set hook: the 'rewrite, hook=java' "
                        + "variant sets hook=java, the others use the default (native)");
            }
        }
    }

    /** The agent's line saying it did not load, or null. */
    static String agentRefusal(String output) {
        return firstLine(AGENT_REFUSED, output);
    }

    /** The JVM's line saying it did not use its class-data archive, or null. */
    static String archiveFailure(String output) {
        return firstLine(ARCHIVE_FAILED, output);
    }

    private static String firstLine(Pattern p, String output) {
        return output.lines().filter(l -> p.matcher(l.strip()).matches()).findFirst().orElse(null);
    }

    /** A java named without a directory (e.g. {@code java}) is looked up on {@code path}, like a shell does. */
    static Path executable(Path java, String path) {
        if (java.getParent() != null || java.isAbsolute() || path == null) {
            return java;
        }
        for (String dir : path.split(File.pathSeparator)) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir).resolve(java);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return java;
    }
}
