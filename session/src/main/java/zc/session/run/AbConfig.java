package zc.session.run;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Everything an A/B session needs.
 *
 * @param command   the application, as separate arguments (never through a shell)
 * @param aOptions  agent options of side A (default mode=observe)
 * @param bOptions  agent options of side B (default mode=rewrite)
 * @param aJvm      extra JVM flags of side A (may be empty)
 * @param bJvm      extra JVM flags of side B
 * @param dir       the session folder
 * @param profile   run async-profiler in every run
 * @param agentJar  zc-agent.jar
 * @param runTimeout a run that takes longer is stopped and marked failed
 * @param strace    strace, for an extra untimed run per side under {@code strace -f -c}; null for none
 * @param profilerEvents async-profiler events beyond cpu, e.g. ",alloc,wall=10ms" (empty for none)
 */
public record AbConfig(List<String> command, int pairs, boolean warmup, String aOptions, String bOptions,
                       String aJvm, String bJvm, Workload workload, Readiness ready, Path dir, String label,
                       boolean profile, Path agentJar, Duration runTimeout, Path strace,
                       String profilerEvents) {
}
