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
        Set<String> listed = listed();
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

    /**
     * The packed entry the agent reads at start-up holds exactly the listed classes, byte for byte, each after the
     * superclass and interfaces it has among them (the agent defines them in one pass, in that order), and none
     * names ASM: the entry is packed before the build relocates ASM into zc.agent.shaded, so such a reference
     * would be left pointing at a package the jar does not have.
     */
    @Test
    void thePackedEntryHoldsTheListedClassesSupertypesFirst() throws Exception {
        Set<String> listed = listed();
        java.io.DataInputStream in = new java.io.DataInputStream(new java.io.ByteArrayInputStream(
                Files.readAllBytes(CLASSES.resolve(RuntimeClasses.BLOB))));
        int count = in.readUnsignedShort();
        Set<String> defined = new TreeSet<>();
        for (int i = 0; i < count; i++) {
            byte[] name = new byte[in.readUnsignedShort()];
            in.readFully(name);
            String internal = new String(name, java.nio.charset.StandardCharsets.US_ASCII).replace('.', '/');
            byte[] bytes = new byte[in.readInt()];
            in.readFully(bytes);
            assertTrue(java.util.Arrays.equals(Files.readAllBytes(CLASSES.resolve(internal + ".class")), bytes),
                    internal);
            ClassReader r = new ClassReader(bytes);
            Set<String> supertypes = new TreeSet<>(java.util.Arrays.asList(r.getInterfaces()));
            if (r.getSuperName() != null) {
                supertypes.add(r.getSuperName());
            }
            for (String s : supertypes) {
                assertTrue(!listed.contains(s) || defined.contains(s), internal + " comes before its supertype " + s);
            }
            assertTrue(!new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1).contains("org/objectweb/"),
                    internal + " names ASM");
            defined.add(internal);
        }
        assertEquals(-1, in.read());
        assertEquals(listed, defined);
    }

    /** The runtime classes the build lists, as internal names. */
    private static Set<String> listed() throws java.io.IOException {
        Set<String> listed = new TreeSet<>();
        for (String line : Files.readAllLines(CLASSES.resolve("zc/agent/boot/runtime-classes.txt"))) {
            if (line.endsWith(".class")) {
                listed.add(line.substring(0, line.length() - 6));
            }
        }
        return listed;
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
