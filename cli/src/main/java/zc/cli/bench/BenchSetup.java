package zc.cli.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import zc.cli.ExitCodes;
import zc.cli.Platform;
import zc.cli.ZcException;
import zc.proc.SystemFacts;

/**
 * What every {@code zc bench} command checks and resolves first: Linux, enough runs, the java to measure and the
 * agent jar, and the folder where the generated applications are compiled once.
 */
record BenchSetup(Path java, Path agentJar, Path work) {

    static BenchSetup of(int runs, Path java, Path agent, Path work) {
        Platform.requireLinux();
        if (runs < 3) {
            throw new ZcException(ExitCodes.USAGE, "--runs must be at least 3");
        }
        Path javaBin = java != null ? LaunchChecks.executable(java, System.getenv("PATH"))
                : Path.of(System.getProperty("java.home"), "bin", "java");
        Path jar = agent != null ? agent : Platform.agentJar();
        if (!Files.isRegularFile(jar)) {
            throw new ZcException(ExitCodes.USAGE, "no agent jar at " + jar + " (build it, or pass --agent)");
        }
        return new BenchSetup(javaBin, jar, work != null ? work : SystemFacts.cacheDir().resolve("bench"));
    }
}
