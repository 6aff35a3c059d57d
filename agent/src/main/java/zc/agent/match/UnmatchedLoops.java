package zc.agent.match;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.JumpInsnNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.TryCatchBlockNode;
import org.objectweb.asm.tree.VarInsnNode;
import org.objectweb.asm.tree.analysis.Analyzer;
import org.objectweb.asm.tree.analysis.AnalyzerException;
import org.objectweb.asm.tree.analysis.Frame;
import org.objectweb.asm.tree.analysis.SourceInterpreter;
import org.objectweb.asm.tree.analysis.SourceValue;

/**
 * Copy loops of no form the finders know: a loop that reads an InputStream (or a RandomAccessFile) into a buffer and
 * writes that buffer to an OutputStream, written some other way (the read tested after it is stored, a try/catch
 * inside the loop, more calls in the body). They are reported as declined, with what sets them apart, so that the
 * statistics account for every copy loop in a class, not only those zc can rewrite.
 */
final class UnmatchedLoops {
    private static final int NAMED_CALLS = 6;

    private UnmatchedLoops() {
    }

    /**
     * @param matched whether a read call belongs to a loop a finder already reported
     */
    static List<CopyLoopFinder.Declined> find(String owner, MethodNode m, CopyLoopFinder.StreamTypes types,
                                              Predicate<MethodInsnNode> matched)
            throws AnalyzerException {
        if (!writesBytes(m)) {
            return List.of(); // the common case, decided before any type is looked up
        }
        List<MethodInsnNode> reads = new ArrayList<>();
        Set<AbstractInsnNode> known = new java.util.HashSet<>();
        for (AbstractInsnNode insn = m.instructions.getFirst(); insn != null; insn = insn.getNext()) {
            if (insn instanceof MethodInsnNode call && isRead(call)) {
                CopyLoopFinder.Candidate c = CopyLoopFinder.candidate(m, call);
                if (c != null) {
                    known.add(call);
                    known.add(c.reread); // a read-ahead loop's second read is that loop's
                }
            }
        }
        for (AbstractInsnNode insn = m.instructions.getFirst(); insn != null; insn = insn.getNext()) {
            if (insn instanceof MethodInsnNode call && isRead(call) && !matched.test(call) && !known.contains(call)
                    && (types.isInputStream(call.owner) || call.owner.equals(BoundedLoopFinder.RANDOM_ACCESS_FILE))) {
                reads.add(call);
            }
        }
        if (reads.isEmpty()) {
            return List.of();
        }
        Frame<SourceValue>[] frames = new Analyzer<>(new SourceInterpreter()).analyze(owner, m);
        List<CopyLoopFinder.Declined> found = new ArrayList<>();
        for (MethodInsnNode read : reads) {
            int r = m.instructions.indexOf(read);
            int buf = bufferLocal(frames[r], read.desc.equals("([B)I") ? 1 : 3);
            if (buf < 0) {
                continue;
            }
            int[] loop = innermostLoop(m, frames, types, r, buf);
            if (loop != null) {
                found.add(new CopyLoopFinder.Declined(CopyLoopFinder.lineOf(read), "a read/write loop of another form",
                        reason(m, loop[0], loop[1], read, m.instructions.get(loop[2]))));
            }
        }
        return found;
    }

    private static boolean writesBytes(MethodNode m) {
        for (AbstractInsnNode insn = m.instructions.getFirst(); insn != null; insn = insn.getNext()) {
            if (insn instanceof MethodInsnNode call && isWrite(call)) {
                return true;
            }
        }
        return false;
    }

    private static boolean isWrite(MethodInsnNode call) {
        return call.getOpcode() == Opcodes.INVOKEVIRTUAL && call.name.equals("write") && call.desc.equals("([BII)V");
    }

    private static boolean isRead(MethodInsnNode call) {
        return call.getOpcode() == Opcodes.INVOKEVIRTUAL && call.name.equals("read")
                && (call.desc.equals("([B)I") || call.desc.equals("([BII)I"));
    }

    /** The local a call's byte[] argument was loaded from, {@code depth} slots below the top of the stack. */
    private static int bufferLocal(Frame<SourceValue> frame, int depth) {
        if (frame == null || frame.getStackSize() < depth) {
            return -1;
        }
        Set<AbstractInsnNode> sources = frame.getStack(frame.getStackSize() - depth).insns;
        if (sources.size() == 1 && sources.iterator().next() instanceof VarInsnNode v
                && v.getOpcode() == Opcodes.ALOAD) {
            return v.var;
        }
        return -1;
    }

    /**
     * The smallest loop (a backward jump and its target) around the read that also writes the same buffer to an
     * OutputStream: {head, back edge, write}, or null.
     */
    private static int[] innermostLoop(MethodNode m, Frame<SourceValue>[] frames, CopyLoopFinder.StreamTypes types,
                                       int read, int buf) {
        int[] best = null;
        for (int i = 0; i < m.instructions.size(); i++) {
            if (!(m.instructions.get(i) instanceof JumpInsnNode j)) {
                continue;
            }
            int target = m.instructions.indexOf(j.label);
            if (target > read || i < read || best != null && i - target >= best[1] - best[0]) {
                continue;
            }
            for (int w = target; w <= i; w++) {
                if (m.instructions.get(w) instanceof MethodInsnNode call && isWrite(call)
                        && bufferLocal(frames[w], 3) == buf && types.isOutputStream(call.owner)) {
                    best = new int[] {target, i, w};
                    break;
                }
            }
        }
        return best;
    }

    /** {@code Math.min(buf.length, remaining)}: the bounded loops' own read length, not what sets a loop apart. */
    private static boolean isBound(MethodInsnNode call) {
        return call.owner.equals("java/lang/Math") && call.name.equals("min");
    }

    /** What sets the loop apart, most telling first: other calls, then a handler inside it. */
    private static String reason(MethodNode m, int head, int back, MethodInsnNode read, AbstractInsnNode write) {
        Set<String> calls = new LinkedHashSet<>();
        for (int i = head; i <= back; i++) {
            AbstractInsnNode insn = m.instructions.get(i);
            if (insn instanceof MethodInsnNode call && insn != read && insn != write && !isBound(call)) {
                calls.add(call.owner.substring(call.owner.lastIndexOf('/') + 1) + "." + call.name);
            }
        }
        if (!calls.isEmpty()) {
            List<String> named = new ArrayList<>(calls);
            String list = String.join(", ", named.subList(0, Math.min(NAMED_CALLS, named.size())));
            return "the loop does more than read and write: it also calls " + list
                    + (named.size() > NAMED_CALLS ? ", ..." : "");
        }
        for (TryCatchBlockNode t : m.tryCatchBlocks) {
            int start = m.instructions.indexOf(t.start);
            int end = m.instructions.indexOf(t.end);
            if (start >= head && end <= back + 1) {
                return "the loop catches exceptions inside itself (a try/catch around the read or write)";
            }
        }
        return "the loop's condition, bound or updates are not a form zc rewrites";
    }
}
