package zc.agents;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.zip.ZipFile;

/** Where the real jars are: zc's (built by the reactor), the other agents' (copied from Maven Central by the pom). */
final class Jars {
    static final Path ZC_AGENT = Path.of(System.getProperty("zc.agentJar", "../agent/target/zc-agent.jar"));
    static final Path DEMOS = Path.of(System.getProperty("zc.demosJar", "../demo-apps/target/zc-demos.jar"));
    /** The rule files users are pointed to: the tests read the shipped ones, not copies. */
    static final Path METRICS_DOCS = Path.of(System.getProperty("zc.metricsDocs", "../docs/metrics"));
    private static final Path OTHERS = Path.of(System.getProperty("zc.otherAgents", "target/other-agents"));

    private Jars() {
    }

    static Path jmxExporter() {
        return existing(OTHERS.resolve("jmx_prometheus_javaagent.jar"));
    }

    static Path openTelemetry() {
        return existing(OTHERS.resolve("opentelemetry-javaagent.jar"));
    }

    static Path jacoco() {
        return existing(OTHERS.resolve("jacocoagent.jar"));
    }

    /**
     * async-profiler's native library for -agentpath, taken out of the Maven Central jar (which carries one per
     * platform) once per build.
     */
    static synchronized Path asyncProfilerLibrary() throws IOException {
        Path lib = OTHERS.resolve("libasyncProfiler.so");
        if (!Files.isRegularFile(lib)) {
            String arch = System.getProperty("os.arch").equals("aarch64") ? "linux-arm64" : "linux-x64";
            try (ZipFile jar = new ZipFile(existing(OTHERS.resolve("async-profiler.jar")).toFile());
                 InputStream in = jar.getInputStream(jar.getEntry(arch + "/libasyncProfiler.so"))) {
                Path part = Files.createTempFile(OTHERS, "libasyncProfiler", ".part");
                Files.copy(in, part, StandardCopyOption.REPLACE_EXISTING);
                Files.move(part, lib, StandardCopyOption.ATOMIC_MOVE);
            }
        }
        return lib;
    }

    static Path metricsRules(String name) {
        return existing(METRICS_DOCS.resolve(name));
    }

    static Path existing(Path p) {
        assertTrue(Files.isRegularFile(p), p + " missing (built or copied by the reactor: ./mvnw -pl agents-it -am)");
        return p.toAbsolutePath();
    }
}
