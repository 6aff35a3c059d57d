package zc.agent.rt;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.tree.ClassNode;
import zc.agent.AgentClassFiles;

/**
 * The code that runs inside copies (the dispatcher, sinks, sources, counters) runs on virtual threads, where the
 * first link of a lambda or method reference defines a hidden class and pins the carrier (jdk.VirtualThreadPinned
 * "Freeze or preempt failed" at ClassLoader.defineClass0, seen in CI with 1,000 virtual threads making their first
 * copy at once), and where waiting for another thread's class initialisation pins it too. So: no invokedynamic
 * outside static initialisers, and every dispatcher class with a static initialiser is initialised ahead by
 * DispatcherInit.
 */
class DispatchPathTest {
    /** Packages whose code runs during copies. */
    private static final List<String> DISPATCH = List.of("zc/agent/rt/", "zc/agent/containers/", "zc/agent/stats/",
            "zc/agent/jfr/");
    /** Methods that never run inside a copy: JSON and MBean output at exit or on request. */
    private static final Set<String> NOT_IN_COPIES = Set.of("zc/agent/stats/StatsJson", "zc/agent/stats/AgentStatsMBean",
            "zc/agent/stats/AgentStats");

    @Test
    void noLambdaIsLinkedInsideACopy() throws Exception {
        List<String> found = AgentClassFiles.invokedynamics(classes(), (c, m) -> m.name.equals("<clinit>")
                || AgentClassFiles.recordMethod(c, m) || NOT_IN_COPIES.stream().anyMatch(c.name::startsWith));
        assertEquals(List.of(), found, "invokedynamic in code that runs inside copies");
    }

    @Test
    void dispatcherClassesWithStaticInitialisersAreInitialisedAhead() throws Exception {
        Set<String> withInit = new TreeSet<>();
        for (ClassNode c : classes()) {
            boolean hasInit = c.methods.stream().anyMatch(m -> m.name.equals("<clinit>"));
            // every runtime class but the containers' (initialised on their container's first request: which
            // container an application uses is not known ahead)
            if (hasInit && RUNTIME.contains(c.name) && !c.name.startsWith("zc/agent/containers/")
                    && !c.name.equals("zc/agent/rt/DispatcherInit")) {
                withInit.add(c.name.replace('/', '.'));
            }
        }
        RecentChange.windowMillis = 1000;
        Set<String> ahead = new TreeSet<>();
        try {
            for (Class<?> c : DispatcherInit.classes()) {
                ahead.add(c.getName());
            }
        } finally {
            RecentChange.windowMillis = 0;
        }
        withInit.removeAll(ahead);
        assertEquals(Set.of(), withInit, "classes with a static initialiser that DispatcherInit does not initialise");
    }

    private static List<ClassNode> classes() throws IOException, URISyntaxException {
        return AgentClassFiles.read(name -> DISPATCH.stream().anyMatch(name::startsWith)
                || RUNTIME.contains(name), 41);
    }

    /** The classes the build defines in the bootstrap loader, which rewritten code calls (agent/pom.xml). */
    private static final Set<String> RUNTIME = runtime();

    private static Set<String> runtime() {
        try (java.io.InputStream in = DispatcherInit.class.getResourceAsStream("/zc/agent/boot/runtime-classes.txt")) {
            Set<String> names = new TreeSet<>();
            new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).lines()
                    .filter(l -> l.endsWith(".class")).forEach(l -> names.add(l.substring(0, l.length() - 6)));
            return names;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
