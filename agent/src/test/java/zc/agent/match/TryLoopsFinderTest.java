package zc.agent.match;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static zc.agent.match.BoundedLoopFinderTest.JDK_ONLY;
import static zc.agent.match.BoundedLoopFinderTest.method;
import static zc.agent.match.BoundedLoopFinderTest.owner;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.LabelNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.TryCatchBlockNode;
import org.objectweb.asm.tree.analysis.Analyzer;
import org.objectweb.asm.tree.analysis.BasicVerifier;
import zc.corpus.Loops;
import zc.corpus.MinOrderRanges;
import zc.corpus.TryRanges;

/**
 * Bounded loops inside try-with-resources, try/finally and try/catch ({@link TryRanges}, as javac compiled them):
 * found where no handler around them can read what the rewritten call does not update mid-way, declined with that
 * reason otherwise; after the rewrite, every range that covered the loop covers the dispatcher call.
 */
class TryLoopsFinderTest {
    private static final String OWNER = owner(TryRanges.class);

    @Test
    void findsBoundedLoopsInsideTryWithResourcesFinallyAndCatch() throws Exception {
        for (String name : List.of("rafTryWithResources", "rafTryFinally", "fisSkipTryWithResources",
                "fisSkipTryFinally", "rafCatch")) {
            MethodNode m = method(TryRanges.class, name);
            assertFalse(m.tryCatchBlocks.isEmpty(), name);
            List<BoundedLoopFinder.Declined> declined = new ArrayList<>();
            List<BoundedLoopFinder.Bounded> found = BoundedLoopFinder.find(OWNER, m, JDK_ONLY, declined);
            assertEquals(List.of(), declined, name);
            assertEquals(1, found.size(), name);
            assertEquals(name.startsWith("raf"), found.get(0).randomAccess(), name);
            assertEquals(name.equals("rafTryFinally") || name.equals("fisSkipTryFinally"), found.get(0).nLive(),
                    name + ": n is read after the loop");
            assertEquals(List.of(), UnmatchedLoops.find(OWNER, m, JDK_ONLY, read -> within(m, found.get(0), read)),
                    name);
        }
    }

    @Test
    void theRewrittenCallStaysInsideEveryRangeThatCoveredTheLoop() throws Exception {
        for (String name : List.of("rafTryWithResources", "rafTryFinally", "fisSkipTryFinally", "rafCatch")) {
            MethodNode m = method(TryRanges.class, name);
            BoundedLoopFinder.Bounded loop = BoundedLoopFinder.find(OWNER, m, JDK_ONLY).get(0);
            List<TryCatchBlockNode> around = around(m, loop.head());
            assertFalse(around.isEmpty(), name);
            int ranges = m.tryCatchBlocks.size();
            CopyLoopRewriter.rewrite(m, loop, loop.shape().pack(1));
            new Analyzer<>(new BasicVerifier()).analyze(OWNER, m);
            MethodInsnNode call = dispatcherCall(m, "copyBounded");
            assertEquals(ranges, m.tryCatchBlocks.size(), name + ": the exception table as it was");
            for (TryCatchBlockNode t : around) {
                int at = m.instructions.indexOf(call);
                assertTrue(m.instructions.indexOf(t.start) < at && at < m.instructions.indexOf(t.end),
                        name + ": the call inside the range to " + t.type);
            }
        }
    }

    /**
     * {@code Math.min(remaining, buf.length)}, min's operands the other way round, in each type javac compiles
     * differently: found as the twin with {@code Math.min(buf.length, remaining)} is, with the same read length
     * (the whole buffer), remaining, n and condition, and its source text as written.
     */
    @Test
    void findsTheRangeLoopWithRemainingFirstInMin() throws Exception {
        Map<String, String> twins = Map.of("rafMinRemainingFirst", "rafTryWithResources",
                "rafMinRemainingFirstPastEnd", "rafTryFinally", "fisSkipMinRemainingFirst", "fisSkipTryFinally");
        for (Map.Entry<String, String> twin : twins.entrySet()) {
            BoundedLoopFinder.Bounded loop = foundIn(MinOrderRanges.class, twin.getKey());
            BoundedLoopFinder.Bounded accepted = foundIn(TryRanges.class, twin.getValue());
            String name = twin.getKey();
            assertNull(loop.chunk(), name + ": reads buf.length at most, as " + twin.getValue());
            assertEquals(accepted.chunk(), loop.chunk(), name);
            assertEquals(accepted.longRemaining(), loop.longRemaining(), name);
            assertEquals(accepted.randomAccess(), loop.randomAccess(), name);
            assertEquals(accepted.nLive(), loop.nLive(), name);
            assertEquals(accepted.shape(), loop.shape(), name);
            assertEquals(accepted.source().replace("min(buf.length, remaining)", "min(remaining, buf.length)"),
                    loop.source(), name);
        }
    }

    /** NanoHTTPD's loop with {@code Math.min(chunk, pending)}: found as the loop with the other order is. */
    @Test
    void findsTheFlaggedLoopWithChunkFirstInMin() throws Exception {
        MethodNode m = method(MinOrderRanges.class, "flaggedMinChunkFirst");
        List<BoundedLoopFinder.Declined> declined = new ArrayList<>();
        List<BoundedLoopFinder.Flagged> found = BoundedLoopFinder.findFlagged(owner(MinOrderRanges.class), m,
                JDK_ONLY, declined);
        assertEquals(List.of(), declined);
        assertEquals(1, found.size());
        BoundedLoopFinder.Flagged loop = found.get(0);
        BoundedLoopFinder.Flagged accepted = BoundedLoopFinder.findFlagged(OWNER, method(TryRanges.class,
                "flaggedInTry"), JDK_ONLY).get(0);
        assertEquals(new LoopShape(true, LoopShape.Cond.NON_NEGATIVE, false), loop.shape());
        assertFalse(loop.nLive());
        assertEquals(1, loop.source().size(), "aload in");
        assertEquals(accepted.shapeSource().replace("min(pending, chunk)", "min(chunk, pending)"), loop.shapeSource());
    }

    /** {@code Math.min(remaining, K)} and {@code Math.min(K, remaining)}, K a constant: K is the read length. */
    @Test
    void findsTheRangeLoopWithAConstantInMinEitherOrder() throws Exception {
        for (String name : List.of("fisSkipMinRemainingChunk", "rafMinChunkFirst")) {
            BoundedLoopFinder.Bounded loop = foundIn(MinOrderRanges.class, name);
            assertEquals(Long.valueOf(Loops.B / 2), BoundedLoopFinder.Match.intConstant(loop.chunk()), name);
            assertEquals(name.startsWith("raf"), loop.randomAccess(), name);
            assertEquals(name.startsWith("fis"), loop.longRemaining(), name);
            assertTrue(name.startsWith("raf") || loop.shape().restoreBuffer(), name + ": buf is read after the loop");
            assertTrue(loop.source().contains(name.startsWith("fis") ? "(int) Math.min(remaining, 4096)"
                    : "Math.min(4096, remaining)"), loop.source());
        }
    }

    /** The rewritten methods verify; the constant's loops call the dispatcher with K as the chunk. */
    @Test
    void rewritesTheRangeLoopsWithEitherOrderInMin() throws Exception {
        String owner = owner(MinOrderRanges.class);
        for (String name : List.of("rafMinRemainingFirst", "rafMinRemainingFirstPastEnd", "fisSkipMinRemainingFirst",
                "fisSkipMinRemainingChunk", "rafMinChunkFirst")) {
            MethodNode m = method(MinOrderRanges.class, name);
            BoundedLoopFinder.Bounded loop = BoundedLoopFinder.find(owner, m, JDK_ONLY).get(0);
            CopyLoopRewriter.rewrite(m, loop, loop.shape().pack(1));
            new Analyzer<>(new BasicVerifier()).analyze(owner, m);
            assertEquals(loop.chunk() == null ? "copyBounded" : "copyBoundedChunks",
                    dispatcherCall(m, "copyBounded").name, name);
        }
    }

    private static BoundedLoopFinder.Bounded foundIn(Class<?> c, String name) throws Exception {
        MethodNode m = method(c, name);
        List<BoundedLoopFinder.Declined> declined = new ArrayList<>();
        List<BoundedLoopFinder.Bounded> found = BoundedLoopFinder.find(owner(c), m, JDK_ONLY, declined);
        assertEquals(List.of(), declined, name);
        assertEquals(1, found.size(), name);
        assertEquals(List.of(), UnmatchedLoops.find(owner(c), m, JDK_ONLY, read -> within(m, found.get(0), read)),
                name + ": no loop left that zc calls not a form it rewrites");
        return found.get(0);
    }

    @Test
    void declinesWhereAHandlerAroundTheLoopReadsWhatTheCallDoesNotUpdate() throws Exception {
        assertEquals("an exception handler around the loop reads remaining", declined("catchReadsRemaining"));
        assertEquals("an exception handler around the loop reads n", declined("finallyReadsN"));
    }

    @Test
    void theFlaggedLoopInsideTryWithResourcesGetsItsPrefixInsideTheRanges() throws Exception {
        MethodNode m = method(TryRanges.class, "flaggedInTry");
        List<BoundedLoopFinder.Declined> declined = new ArrayList<>();
        List<BoundedLoopFinder.Flagged> found = BoundedLoopFinder.findFlagged(OWNER, m, JDK_ONLY, declined);
        assertEquals(List.of(), declined);
        assertEquals(1, found.size());
        assertTrue(found.get(0).nLive());
        List<TryCatchBlockNode> around = around(m, found.get(0).head());
        assertFalse(around.isEmpty());
        int ranges = m.tryCatchBlocks.size();
        CopyLoopRewriter.rewritePrefix(m, found.get(0), found.get(0).shape().pack(1));
        new Analyzer<>(new BasicVerifier()).analyze(OWNER, m);
        assertEquals(ranges, m.tryCatchBlocks.size());
        int call = m.instructions.indexOf(dispatcherCall(m, "copyPrefix"));
        for (TryCatchBlockNode t : around) {
            assertTrue(m.instructions.indexOf(t.start) < call && call < m.instructions.indexOf(t.end), t.type);
        }

        List<BoundedLoopFinder.Declined> kept = new ArrayList<>();
        MethodNode reads = method(TryRanges.class, "flaggedCatchReadsPending");
        assertEquals(List.of(), BoundedLoopFinder.findFlagged(OWNER, reads, JDK_ONLY, kept));
        assertEquals(List.of("an exception handler around the loop reads pending"),
                kept.stream().map(d -> d.found().reason()).toList());
    }

    @Test
    void declinesARangeThatStartsInsideTheLoop() throws Exception {
        MethodNode m = method(TryRanges.class, "rafTryWithResources");
        BoundedLoopFinder.Bounded loop = BoundedLoopFinder.find(OWNER, m, JDK_ONLY).get(0);
        TryCatchBlockNode t = m.tryCatchBlocks.get(0);
        LabelNode inside = new LabelNode();
        m.instructions.insert(loop.head(), inside); // the range now starts at the loop's second instruction
        t.start = inside;
        assertEquals("an exception handler range starts or ends inside the loop", declined(m));
    }

    @Test
    void theUnboundedLoopInsideTwoResourcesIsRewritable() throws Exception {
        MethodNode m = method(TryRanges.class, "twoResources");
        List<CopyLoopFinder.Found> found = CopyLoopFinder.find(OWNER, m, JDK_ONLY);
        assertEquals(1, found.size(), found.toString());
        CopyLoopFinder.Rewritable r = assertInstanceOf(CopyLoopFinder.Rewritable.class, found.get(0));
        assertEquals("J", r.totalDesc());
        assertTrue(r.caught().isEmpty(), "the ranges lie around the loop, none inside it");
    }

    private static String declined(String name) throws Exception {
        return declined(method(TryRanges.class, name));
    }

    private static String declined(MethodNode m) throws Exception {
        List<BoundedLoopFinder.Declined> declined = new ArrayList<>();
        assertEquals(List.of(), BoundedLoopFinder.find(OWNER, m, JDK_ONLY, declined), m.name);
        assertEquals(1, declined.size(), m.name);
        assertTrue(declined.get(0).found().source().startsWith("while (remaining > 0)"), declined.toString());
        return declined.get(0).found().reason();
    }

    /** The try ranges that cover an instruction. */
    private static List<TryCatchBlockNode> around(MethodNode m, AbstractInsnNode insn) {
        List<TryCatchBlockNode> around = new ArrayList<>();
        int at = m.instructions.indexOf(insn);
        for (TryCatchBlockNode t : m.tryCatchBlocks) {
            if (m.instructions.indexOf(t.start) < at && m.instructions.indexOf(t.end) > at) {
                around.add(t);
            }
        }
        return around;
    }

    private static boolean within(MethodNode m, BoundedLoopFinder.Bounded loop, MethodInsnNode read) {
        int at = m.instructions.indexOf(read);
        return m.instructions.indexOf(loop.head()) <= at && at <= m.instructions.indexOf(loop.back());
    }

    private static MethodInsnNode dispatcherCall(MethodNode m, String name) {
        for (AbstractInsnNode insn = m.instructions.getFirst(); insn != null; insn = insn.getNext()) {
            if (insn instanceof MethodInsnNode c && c.owner.equals(CopyLoopRewriter.DISPATCHER)
                    && c.name.startsWith(name)) {
                return c;
            }
        }
        throw new AssertionError("no dispatcher call in " + m.name);
    }
}
