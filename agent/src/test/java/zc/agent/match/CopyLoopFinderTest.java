package zc.agent.match;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.MethodNode;
import zc.corpus.Loops;

/** The finder on the corpus' loops as Maven's javac compiled them (with -g: local variable labels included). */
class CopyLoopFinderTest {
    private static final Map<String, List<CopyLoopFinder.Found>> FOUND = new HashMap<>();

    @BeforeAll
    static void findAll() throws Exception {
        ClassNode c = new ClassNode();
        try (InputStream in = Loops.class.getResourceAsStream("Loops.class")) {
            new ClassReader(in).accept(c, 0);
        }
        CopyLoopFinder.StreamTypes jdkOnly = new CopyLoopFinder.StreamTypes() {
            public boolean isInputStream(String n) {
                return n.equals("java/io/InputStream");
            }

            public boolean isOutputStream(String n) {
                return n.equals("java/io/OutputStream");
            }
        };
        for (MethodNode m : c.methods) {
            FOUND.put(m.name, CopyLoopFinder.find(c.name, m, jdkOnly));
        }
    }

    @Test
    void findsEveryLoopShapeJavacEmits() {
        Map<String, LoopShape> expected = Map.ofEntries(
                Map.entry("whileNotEof", new LoopShape(false, LoopShape.Cond.NOT_EOF, false)),
                Map.entry("whileNonNegative", new LoopShape(false, LoopShape.Cond.NON_NEGATIVE, false)),
                Map.entry("whilePositive", new LoopShape(false, LoopShape.Cond.POSITIVE, false)),
                Map.entry("forLoop", new LoopShape(false, LoopShape.Cond.NON_NEGATIVE, false)),
                Map.entry("readRange", new LoopShape(true, LoopShape.Cond.NOT_EOF, false)),
                Map.entry("totalBeforeWrite", new LoopShape(false, LoopShape.Cond.POSITIVE, false)),
                Map.entry("breakChunkFinalN", new LoopShape(true, LoopShape.Cond.NON_NEGATIVE, true)),
                Map.entry("breakOnEofTotal", new LoopShape(false, LoopShape.Cond.NOT_EOF, false)),
                Map.entry("constantLeft", new LoopShape(false, LoopShape.Cond.NOT_EOF, false)),
                Map.entry("constantLeftBuffer", new LoopShape(true, LoopShape.Cond.POSITIVE, true)),
                Map.entry("readAhead", new LoopShape(false, LoopShape.Cond.NON_NEGATIVE, false)),
                Map.entry("readAheadFinalN", new LoopShape(false, LoopShape.Cond.NOT_EOF, true)),
                Map.entry("whileHalfChunks", new LoopShape(true, LoopShape.Cond.NOT_EOF, true)),
                Map.entry("readAheadLocalChunk", new LoopShape(true, LoopShape.Cond.POSITIVE, false)),
                Map.entry("catchInside", new LoopShape(false, LoopShape.Cond.NOT_EOF, false)),
                Map.entry("catchRethrow", new LoopShape(false, LoopShape.Cond.NON_NEGATIVE, true)));
        expected.forEach((method, shape) -> assertEquals(shape, rewritable(method).shape(), method));
    }

    @Test
    void keepsTheReadLengthOfTheLoop() {
        assertEquals("while ((n = in.read(buf, 0, 4096)) != -1) { out.write(buf, 0, n); }",
                rewritable("whileHalfChunks").source());
        assertEquals("n = in.read(buf, 0, len); while (n > 0) { out.write(buf, 0, n); total += n; "
                + "n = in.read(buf, 0, len); }", rewritable("readAheadLocalChunk").source());
    }

    @Test
    void keepsTheRunningTotalAndItsType() {
        assertEquals("J", rewritable("longTotal").totalDesc());
        assertEquals("I", rewritable("intTotal").totalDesc());
        assertEquals(null, rewritable("whileNotEof").totalDesc());
    }

    @Test
    void knowsWhenNOrTheBufferIsReadAfterTheLoop() {
        assertTrue(rewritable("finalN").nLive());
        assertFalse(rewritable("longTotal").nLive());
        assertTrue(rewritable("bufferReadAfter").shape().restoreBuffer());
        assertTrue(rewritable("bufferParameter").shape().restoreBuffer(), "a parameter belongs to the caller");
        assertFalse(rewritable("longTotal").shape().restoreBuffer());
    }

    @Test
    void declinesLoopsWithOtherEffectsSayingWhy() {
        assertEquals("an exception handler around the loop reads the running total", declined("totalReadInHandler"));
        assertEquals("the loop body does more than write and count: calls java.util.function.IntConsumer.accept",
                declined("progressCallback"));
        assertEquals("the loop body does more than write and count: calls java.security.MessageDigest.update",
                declined("digestInBody"));
        assertEquals("the loop body does more than write and count: it branches (a conditional write, a break or "
                + "a nested loop)", declined("conditionalWrite"));
        assertEquals("an exception handler inside the loop reads n", declined("catchReadsN"));
        assertEquals("the loop body does more than write and count: calls java.util.function.IntConsumer.accept",
                declined("readAheadProgress"));
    }

    @Test
    void reportsTheSourceLine() {
        assertTrue(rewritable("longTotal").line() > 0);
    }

    private static CopyLoopFinder.Rewritable rewritable(String method) {
        List<CopyLoopFinder.Found> f = FOUND.get(method);
        assertEquals(1, f.size(), method + ": " + f);
        return assertInstanceOf(CopyLoopFinder.Rewritable.class, f.get(0), method);
    }

    private static String declined(String method) {
        List<CopyLoopFinder.Found> f = FOUND.get(method);
        assertEquals(1, f.size(), method + ": " + f);
        return assertInstanceOf(CopyLoopFinder.Declined.class, f.get(0), method).reason();
    }
}
