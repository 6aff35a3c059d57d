package zc.agent.boot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.ClassReader;

/**
 * The classes the agent defines in the bootstrap loader must be closed under their references: a runtime class
 * that names a zc class outside the list would fail with NoClassDefFoundError inside the application (the bootstrap
 * loader cannot find the rest of zc). Add the class's package or name to the list in agent/pom.xml.
 */
class RuntimeClassesTest {
    private static final Path CLASSES = Path.of("target", "classes");
    private static final Pattern DESCRIBED = Pattern.compile("L(zc/agent/[\\w/$]+);");

    @Test
    void theRuntimeClassesNameNoZcClassOutsideThem() throws Exception {
        Set<String> listed = new TreeSet<>();
        for (String line : Files.readAllLines(CLASSES.resolve("zc/agent/boot/runtime-classes.txt"))) {
            if (line.endsWith(".class")) {
                listed.add(line.substring(0, line.length() - 6));
            }
        }
        assertTrue(listed.contains("zc/agent/rt/ZcCopy") && listed.contains("zc/agent/rt/ZcHelpers")
                && listed.contains("zc/agent/stats/Stats"), listed.toString());
        Set<String> outside = new TreeSet<>();
        for (String name : listed) {
            for (String ref : references(Files.readAllBytes(CLASSES.resolve(name + ".class")))) {
                if (!listed.contains(ref)) {
                    outside.add(name + " -> " + ref);
                }
            }
        }
        assertEquals(Set.of(), outside);
    }

    /** zc classes a class file names: its class constants and the types in its descriptors. */
    private static Set<String> references(byte[] classFile) {
        ClassReader r = new ClassReader(classFile);
        char[] buf = new char[r.getMaxStringLength()];
        Set<String> refs = new TreeSet<>();
        for (int i = 1; i < r.getItemCount(); i++) {
            int offset = r.getItem(i);
            if (offset == 0) {
                continue; // the second slot of a long or double
            }
            int tag = classFile[offset - 1];
            if (tag == 7) {
                String n = r.readUTF8(offset, buf);
                if (n.startsWith("zc/agent/")) {
                    refs.add(n);
                }
            } else if (tag == 1) {
                int len = r.readUnsignedShort(offset);
                Matcher m = DESCRIBED.matcher(new String(classFile, offset + 2, len,
                        java.nio.charset.StandardCharsets.ISO_8859_1));
                while (m.find()) {
                    refs.add(m.group(1));
                }
            }
        }
        return refs;
    }
}
