package zc.agent.match;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.ClassReader;

class ConstantPoolScanTest {

    @Test
    void passesClassesThatNameReadAndWriteOfTheLoopShape() throws Exception {
        assertTrue(ConstantPoolScan.mayHoldCopyLoop(bytes(zc.corpus.Loops.class)));
    }

    @Test
    void rejectsClassesThatDoNot() throws Exception {
        assertFalse(ConstantPoolScan.mayHoldCopyLoop(bytes(LoopShape.class)));
        assertFalse(ConstantPoolScan.mayHoldCopyLoop(bytes(ClassFiles.class)));
        assertFalse(ConstantPoolScan.mayHoldCopyLoop(new byte[] {1, 2, 3}));
        assertFalse(ConstantPoolScan.mayHoldCopyLoop(new byte[] {(byte) 0xca, (byte) 0xfe, 0, 0, 0, 0, 0, 0, 0x7f}));
    }

    /**
     * The scan against a second reading of the same rule, made from ASM's constant-pool offsets and string sets, on
     * every class of the test class path's jars (Spring, Tomcat, Jetty, Guava, commons-io, Kotlin, Jackson...):
     * the same answer for each, and both answers seen many times.
     */
    @Test
    void agreesWithAnAsmReadingOfTheConstantPoolOnEveryClassOfTheClassPath() throws Exception {
        zc.agent.ClassPathClasses.Agreement a = zc.agent.ClassPathClasses.compare(ConstantPoolScanTest::byAsm, ConstantPoolScan::mayHoldCopyLoop);
        assertEquals(List.of(), a.differ());
        assertTrue(a.yes() > 40 && a.no() > 10_000, a.yes() + " pass, " + a.no() + " fail");
    }

    /** The rule of ConstantPoolScan, from the set of the class's UTF-8 constants as ASM finds them. */
    private static boolean byAsm(byte[] b) {
        ClassReader r = new ClassReader(b);
        Set<String> utf8 = new HashSet<>();
        for (int i = 1; i < r.getItemCount(); i++) {
            int offset = r.getItem(i); // just after the tag byte; 0 for the second slot of a long or double
            if (offset > 0 && b[offset - 1] == 1) {
                utf8.add(new String(b, offset + 2, r.readUnsignedShort(offset), StandardCharsets.ISO_8859_1));
            }
        }
        boolean loop = utf8.contains("read") && utf8.contains("write")
                && (utf8.contains("([B)I") || utf8.contains("([BII)I")) && utf8.contains("([BII)V");
        boolean helper = (utf8.contains("transferTo") || utf8.contains("copy") || utf8.contains("copyLarge"))
                && List.of(Helper.descriptors()).stream().anyMatch(utf8::contains);
        return loop || helper;
    }

    private static byte[] bytes(Class<?> c) throws Exception {
        try (InputStream in = c.getResourceAsStream(c.getSimpleName() + ".class")) {
            return in.readAllBytes();
        }
    }
}
