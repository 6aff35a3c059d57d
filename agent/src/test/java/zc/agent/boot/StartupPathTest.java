package zc.agent.boot;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.tree.ClassNode;
import zc.agent.AgentClassFiles;

/**
 * What runs in premain and while the application's classes are transformed (the options, boot, the finders and
 * rewriters, the JDK hook) links no invokedynamic: on its first call each lambda, method reference or stream call
 * site spins a hidden class and LambdaForms, which the JIT then compiles, on the application's start-up path
 * (docs/BENCHMARKS.md, start-up: the httpserver app spun 12 lambda classes in zc's start-up code before this test,
 * 13 on JDK 24+ where Retransformer starts too, ~3 ms of wall time in MethodRewriter alone). String concatenation is not invokedynamic here (-XDstringConcat=inline). A
 * record's generated equals, hashCode and toString are (ObjectMethods), but link only when called: the start-up
 * path hashes no record and prints only AgentOptions (log=debug), whose toString is written out.
 */
class StartupPathTest {
    /** Packages whose code runs at start-up, besides the classes of zc.agent itself. */
    private static final List<String> STARTUP = List.of("zc/agent/boot/", "zc/agent/match/", "zc/agent/jdk/",
            "zc/agent/cache/");
    /** Record methods the start-up path calls: they must not be the generated ones. */
    private static final Set<String> CALLED_AT_STARTUP = Set.of("zc/agent/AgentOptions.toString");

    @Test
    void noLambdaIsLinkedAtStartUp() throws Exception {
        List<ClassNode> classes = AgentClassFiles.read(name -> STARTUP.stream().anyMatch(name::startsWith)
                || name.startsWith("zc/agent/") && name.indexOf('/', "zc/agent/".length()) < 0, 30);
        List<String> found = AgentClassFiles.invokedynamics(classes, (c, m) -> AgentClassFiles.recordMethod(c, m)
                && !CALLED_AT_STARTUP.contains(c.name + "." + m.name));
        assertEquals(List.of(), found, "invokedynamic in code that runs at start-up: each call site spins classes"
                + " when first linked (use a loop or a small named class)");
    }
}
