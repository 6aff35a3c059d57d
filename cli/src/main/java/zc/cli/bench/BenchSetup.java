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
        // a file that is not an agent jar would only show as the first application that fails to start
        try (java.util.jar.JarFile j = new java.util.jar.JarFile(jar.toFile())) {
            if (j.getManifest() == null || j.getManifest().getMainAttributes().getValue("Premain-Class") == null) {
                throw new ZcException(ExitCodes.USAGE, "--agent " + jar + ": not a Java agent jar (no Premain-Class)");
            }
        } catch (java.io.IOException e) {
            throw new ZcException(ExitCodes.USAGE, "--agent " + jar + ": not a jar (" + e.getMessage() + ")");
        }
        return new BenchSetup(javaBin, jar, work != null ? work : SystemFacts.cacheDir().resolve("bench"));
    }
}
