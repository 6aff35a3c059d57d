package zc.agent.rt;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.InvokeDynamicInsnNode;
import org.objectweb.asm.tree.MethodNode;

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
        List<String> found = new ArrayList<>();
        for (ClassNode c : classes()) {
            if (NOT_IN_COPIES.stream().anyMatch(c.name::startsWith)) {
                continue;
            }
            for (MethodNode m : c.methods) {
                if (m.name.equals("<clinit>") || recordMethod(c, m)) {
                    continue;
                }
                for (AbstractInsnNode insn : m.instructions) {
                    if (insn instanceof InvokeDynamicInsnNode indy) {
                        found.add(c.name + "." + m.name + m.desc + " -> " + indy.bsm.getName());
                    }
                }
            }
        }
        assertEquals(List.of(), found, "invokedynamic in code that runs inside copies");
    }

    @Test
    void dispatcherClassesWithStaticInitialisersAreInitialisedAhead() throws Exception {
        Set<String> withInit = new TreeSet<>();
        for (ClassNode c : classes()) {
            boolean hasInit = c.methods.stream().anyMatch(m -> m.name.equals("<clinit>"));
            if (hasInit && c.name.startsWith("zc/agent/rt/") && !c.name.equals("zc/agent/rt/DispatcherInit")) {
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

    /** A record's equals, hashCode and toString (ObjectMethods bootstraps): not called by the dispatcher. */
    private static boolean recordMethod(ClassNode c, MethodNode m) {
        return "java/lang/Record".equals(c.superName)
                && (m.name.equals("equals") || m.name.equals("hashCode") || m.name.equals("toString"));
    }

    private static List<ClassNode> classes() throws IOException, URISyntaxException {
        Path root = Path.of(ZcCopy.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        List<ClassNode> nodes = new ArrayList<>();
        try (Stream<Path> files = Files.walk(root)) {
            files.filter(p -> p.toString().endsWith(".class"))
                    .filter(p -> DISPATCH.stream().anyMatch(root.relativize(p).toString()::startsWith))
                    .forEach(p -> nodes.add(read(p)));
        }
        assertEquals(true, nodes.size() > 40, "dispatcher classes found under " + root);
        return nodes;
    }

    private static ClassNode read(Path p) {
        try (InputStream in = Files.newInputStream(p)) {
            ClassNode node = new ClassNode(Opcodes.ASM9);
            new ClassReader(in).accept(node, ClassReader.SKIP_DEBUG);
            return node;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
