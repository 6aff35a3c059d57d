package zc.cli.bench;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The options every {@code zc bench} command shares: which java to measure, with which agent jar. */
final class BenchJvm {
    @Option(names = "--java", paramLabel = "PATH", description = "java of the measured JVMs. Default: this one.")
    Path java;

    @Option(names = "--agent", paramLabel = "JAR", description = "The agent jar. Default: agent/target/zc-agent.jar "
            + "next to this tool.")
    Path agent;

    BenchSetup setup(int runs, Path work) {
        return BenchSetup.of(runs, java, agent, work);
    }
}
