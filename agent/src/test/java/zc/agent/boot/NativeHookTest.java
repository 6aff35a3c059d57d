package zc.agent.boot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import zc.agent.ClassPathClasses;
import zc.agent.match.ConstantPoolScan;

/**
 * The scan in C (zc_hook.c) gives ConstantPoolScan's answer for every class: the hook passes up exactly what the Java
 * transformer would have scanned through. The library is loaded into this JVM with the hook off.
 */
class NativeHookTest {
    @BeforeAll
    static void load() throws Exception {
        assertNull(NativeHook.load(null, false));
    }

    /** Every class of the test class path's jars (Spring, Tomcat, Jetty, Kotlin, commons-io...), ~10,000. */
    @Test
    void answersAsConstantPoolScanOnEveryClassOfTheClassPath() throws Exception {
        zc.agent.ClassPathClasses.Agreement a = zc.agent.ClassPathClasses.compare(ConstantPoolScan::mayHoldCopyLoop, NativeHook::scan);
        assertEquals(List.of(), a.differ());
        assertTrue(a.yes() > 40 && a.no() > 10_000, a.yes() + " pass, " + a.no() + " fail");
    }

    /**
     * Malformed class files, the same answer and no crash: every class cut at random lengths, and with random bytes
     * changed (constant-pool lengths and tags among them). A read past the end answers no in both.
     */
    @Test
    void answersAsConstantPoolScanOnTruncatedAndCorruptedClassFiles() throws Exception {
        Random random = new Random(472);
        int checked = 0;
        List<String> differ = new ArrayList<>();
        for (ClassPathClasses.ClassFile f : ClassPathClasses.read(3_000)) {
            byte[] b = f.bytes();
            for (int k = 0; k < 8; k++) {
                byte[] cut = java.util.Arrays.copyOf(b, random.nextInt(b.length + 1));
                byte[] changed = b.clone();
                for (int j = 0; j < 1 + random.nextInt(4); j++) {
                    changed[10 + random.nextInt(Math.max(1, changed.length - 10))] =
                            (byte) random.nextInt(256);
                }
                for (byte[] c : List.of(cut, changed)) {
                    if (NativeHook.scan(c) != ConstantPoolScan.mayHoldCopyLoop(c)) {
                        differ.add(f.where() + " (" + c.length + " bytes)");
                    }
                    checked++;
                }
            }
        }
        assertEquals(List.of(), differ);
        assertTrue(checked > 40_000, checked + " checked");
    }
}
