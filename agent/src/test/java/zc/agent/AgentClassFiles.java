package zc.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiPredicate;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.InvokeDynamicInsnNode;
import org.objectweb.asm.tree.MethodNode;

/** The agent's compiled classes, read with ASM, for the tests that check which call sites their code links. */
public final class AgentClassFiles {
    private AgentClassFiles() {
    }

    /** The classes whose internal name ({@code zc/agent/rt/ZcCopy}) passes {@code name}, at least {@code min}. */
    public static List<ClassNode> read(Predicate<String> name, int min) throws IOException, URISyntaxException {
        Path root = Path.of(AgentOptions.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        List<ClassNode> nodes = new ArrayList<>();
        try (Stream<Path> files = Files.walk(root)) {
            files.filter(p -> p.toString().endsWith(".class"))
                    .filter(p -> name.test(root.relativize(p).toString().replace('\\', '/').replace(".class", "")))
                    .forEach(p -> nodes.add(read(p)));
        }
        assertEquals(true, nodes.size() >= min, "classes found under " + root + ": " + nodes.size());
        return nodes;
    }

    /** Each invokedynamic outside the methods {@code allowed} lets through, as class.method(desc) -> bootstrap. */
    public static List<String> invokedynamics(List<ClassNode> classes, BiPredicate<ClassNode, MethodNode> allowed) {
        List<String> found = new ArrayList<>();
        for (ClassNode c : classes) {
            for (MethodNode m : c.methods) {
                if (allowed.test(c, m)) {
                    continue;
                }
                for (AbstractInsnNode insn : m.instructions) {
                    if (insn instanceof InvokeDynamicInsnNode indy) {
                        found.add(c.name + "." + m.name + m.desc + " -> " + indy.bsm.getOwner() + "."
                                + indy.bsm.getName());
                    }
                }
            }
        }
        return found;
    }

    /** A record's generated equals, hashCode or toString (an ObjectMethods bootstrap, linked on its first call). */
    public static boolean recordMethod(ClassNode c, MethodNode m) {
        return "java/lang/Record".equals(c.superName)
                && (m.name.equals("equals") || m.name.equals("hashCode") || m.name.equals("toString"));
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
