package zc.agent.match;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.FieldInsnNode;
import org.objectweb.asm.tree.MethodNode;
import zc.corpus.Loops;

/** The flagged bounded loop (NanoHTTPD's sendBody) and the loops of other forms, as javac compiled the corpus. */
class BoundedLoopFinderTest {
    static final CopyLoopFinder.StreamTypes JDK_ONLY = new CopyLoopFinder.StreamTypes() {
        public boolean isInputStream(String n) {
            return n.equals("java/io/InputStream");
        }

        public boolean isOutputStream(String n) {
            return n.equals("java/io/OutputStream");
        }
    };

    @Test
    void findsTheFlaggedLoopWithItsSourceInAField() throws Exception {
        MethodNode m = method(Loops.Body.class, "send");
        List<BoundedLoopFinder.Flagged> found = BoundedLoopFinder.findFlagged(owner(Loops.Body.class), m, JDK_ONLY);
        assertEquals(1, found.size());
        BoundedLoopFinder.Flagged f = found.get(0);
        assertEquals(2, f.source().size(), "aload this; getfield data");
        assertEquals("data", ((FieldInsnNode) f.source().get(1)).name);
        assertEquals(LoopShape.Cond.POSITIVE, f.shape().cond());
        assertFalse(f.nLive());
        assertFalse(f.shape().restoreBuffer());
        assertTrue(BoundedLoopFinder.find(owner(Loops.Body.class), m, JDK_ONLY).isEmpty());
    }

    @Test
    void findsTheFlaggedLoopOnLocalsWithNAndTheBufferReadAfter() throws Exception {
        MethodNode m = method(Loops.class, "flaggedFinalN");
        List<BoundedLoopFinder.Flagged> found = BoundedLoopFinder.findFlagged(owner(Loops.class), m, JDK_ONLY);
        assertEquals(1, found.size());
        BoundedLoopFinder.Flagged f = found.get(0);
        assertEquals(1, f.source().size());
        assertEquals(LoopShape.Cond.NOT_EOF, f.shape().cond());
        assertTrue(f.nLive());
        assertTrue(f.shape().restoreBuffer());
    }

    @Test
    void declinesCopyLoopsOfOtherFormsSayingWhy() throws Exception {
        assertEquals("the loop catches exceptions inside itself (a try/catch around the read or write)",
                unmatched("catchAroundRead"));
        assertEquals("the loop does more than read and write: it also calls System.currentTimeMillis, Math.max, "
                + "Thread.onSpinWait", unmatched("rateLimited"));
    }

    @Test
    void findsARangeLoopOverARandomAccessFileAndDeclinesOtherForms() throws Exception {
        Class<?> c = zc.corpus.RandomAccessRanges.class;
        List<BoundedLoopFinder.Bounded> found = BoundedLoopFinder.find(owner(c), method(c, "copyRange"), JDK_ONLY);
        assertEquals(1, found.size());
        assertTrue(found.get(0).randomAccess());
        MethodNode other = method(c, "copyRangeRetrying");
        assertTrue(BoundedLoopFinder.find(owner(c), other, JDK_ONLY).isEmpty());
        List<CopyLoopFinder.Declined> d = UnmatchedLoops.find(owner(c), other, JDK_ONLY, read -> false);
        assertEquals(List.of("the loop catches exceptions inside itself (a try/catch around the read or write)"),
                d.stream().map(CopyLoopFinder.Declined::reason).toList());
    }

    @Test
    void leavesLoopsTheFindersKnowToThem() throws Exception {
        for (String name : List.of("whileNotEof", "boundedLong", "flaggedFinalN", "progressCallback",
                "readAheadProgress", "readAhead")) {
            MethodNode m = method(Loops.class, name);
            List<int[]> ranges = new java.util.ArrayList<>();
            BoundedLoopFinder.find(owner(Loops.class), m, JDK_ONLY).forEach(b -> ranges.add(
                    new int[] {m.instructions.indexOf(b.head()), m.instructions.indexOf(b.back())}));
            BoundedLoopFinder.findFlagged(owner(Loops.class), m, JDK_ONLY).forEach(b -> ranges.add(
                    new int[] {m.instructions.indexOf(b.head()), m.instructions.indexOf(b.back())}));
            assertEquals(List.of(), UnmatchedLoops.find(owner(Loops.class), m, JDK_ONLY, read -> ranges.stream()
                    .anyMatch(r -> r[0] <= m.instructions.indexOf(read) && m.instructions.indexOf(read) <= r[1])),
                    name);
        }
    }

    private static String unmatched(String name) throws Exception {
        MethodNode m = method(Loops.class, name);
        assertTrue(CopyLoopFinder.find(owner(Loops.class), m, JDK_ONLY).isEmpty(), name);
        List<CopyLoopFinder.Declined> d = UnmatchedLoops.find(owner(Loops.class), m, JDK_ONLY, read -> false);
        assertEquals(1, d.size(), name + ": " + d);
        return d.get(0).reason();
    }

    static String owner(Class<?> c) {
        return c.getName().replace('.', '/');
    }

    static MethodNode method(Class<?> c, String name) throws Exception {
        ClassNode node = new ClassNode();
        String file = c.getName().substring(c.getName().lastIndexOf('.') + 1) + ".class";
        try (InputStream in = c.getResourceAsStream(file)) {
            new ClassReader(in).accept(node, ClassReader.EXPAND_FRAMES);
        }
        return node.methods.stream().filter(m -> m.name.equals(name)).findFirst().orElseThrow();
    }
}
