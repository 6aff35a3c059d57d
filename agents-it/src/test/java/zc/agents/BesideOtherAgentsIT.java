package zc.agents;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import zc.testkit.Jdk;

/**
 * zc beside the agents services already carry (the OpenTelemetry Java agent, the Prometheus JMX exporter, JaCoCo,
 * async-profiler; real jars from Maven Central), given before or after zc on the command line: the app serves every
 * byte as it is on disk, each other agent still does its job (spans, metrics, coverage, a profile), and zc still
 * rewrites the app's copy code, or, where another agent's instrumentation is in the way (JaCoCo's probes in the
 * loop), declines it with that reason. On the static-file demo, each agent alone with zc in both orders on the
 * build's JDK, then all four together in both orders on every JDK; on the Spring Boot fixture, all four together in
 * both orders: the matrix stays within a few minutes.
 */
class BesideOtherAgentsIT {
    @TempDir
    static Path work;
    static Path root;

    enum Order { ZC_FIRST, ZC_LAST }

    @BeforeAll
    static void files() throws Exception {
        root = ServedFiles.write(work.resolve("www"));
    }

    static Stream<Arguments> cases() {
        List<Jdk> jdks = Jdk.installed();
        List<Arguments> cases = new ArrayList<>();
        TestApp demo = new StaticFileApp();
        for (OtherAgent.Kind kind : OtherAgent.Kind.values()) {
            for (Order order : Order.values()) {
                cases.add(Arguments.of(demo, jdks.get(0), List.of(kind), order));
            }
        }
        for (Jdk jdk : jdks) {
            for (Order order : Order.values()) {
                cases.add(Arguments.of(demo, jdk, List.of(OtherAgent.Kind.values()), order));
            }
        }
        // a Spring Boot case takes 45 s under all four agents: all four together, both orders, one JDK
        for (Order order : Order.values()) {
            cases.add(Arguments.of(new SpringBootApp(), jdks.get(0), List.of(OtherAgent.Kind.values()), order));
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} on {1}, {3} with {2}")
    @MethodSource("cases")
    void everyByteArrivesEachAgentDoesItsJobAndZcRewrites(TestApp app, Jdk jdk, List<OtherAgent.Kind> kinds,
                                                         Order order) throws Exception {
        Path dir = work.resolve(app.name().replace(' ', '-') + "-" + jdk + "-" + order + "-"
                + kinds.stream().map(Enum::name).collect(Collectors.joining("-")));
        Path out = dir.resolve("zc");
        List<OtherAgent> others = new ArrayList<>();
        List<String> options = new ArrayList<>();
        for (OtherAgent.Kind kind : kinds) {
            OtherAgent other = kind.create(dir, app);
            others.add(other);
            options.addAll(other.jvmOptions());
        }
        options.add(order == Order.ZC_FIRST ? 0 : options.size(), AppRun.zcAgent(out));
        try (AppRun run = AppRun.start(jdk, options, app, root, out)) {
            run.downloadAll(dir.resolve("got"));
            for (OtherAgent other : others) {
                other.whileServing(run);
            }
            run.stop();
            for (OtherAgent other : others) {
                other.afterExit(run);
            }
            TestApp.Outcome expected = app.expected(run.served());
            for (OtherAgent other : others) {
                expected = other.zcBesideMe(app, expected);
            }
            app.checkZc(expected, run.zcOutcome(), "what zc did with " + app.copySite() + "; stderr: "
                    + run.stderr());
        }
    }
}
