package zc.agent.match;

import java.util.ArrayList;
import java.util.List;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.JumpInsnNode;
import org.objectweb.asm.tree.LabelNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.TryCatchBlockNode;
import org.objectweb.asm.tree.VarInsnNode;

/**
 * Finds the bounded copy loops HTTP servers write for Content-Length bodies:
 *
 * <pre>
 *   while (remaining > 0) {
 *       n = in.read(buf, 0, (int) Math.min(buf.length, remaining));   // or Math.min(buf.length, remaining) on ints
 *       if (n < 0) break;                                               // or n == -1
 *       out.write(buf, 0, n);
 *       remaining -= n;
 *   }
 * </pre>
 *
 * where {@code remaining} is a long or int local (min's operands in either order, and an int constant K in place of
 * {@code buf.length}, which is then the read length), and two forms of it from libraries: Spring's
 * {@code StreamUtils.copyRange} reads {@code remaining < buf.length ? in.read(buf, 0, (int) remaining) : in.read(buf)},
 * Jetty's {@code IO.copy(in, out, count)} reads {@code remaining < K ? (int) remaining : K} bytes (K a constant) and
 * takes the count before the write. The instructions are matched one by one, as javac emits them. {@code in} may
 * also be a {@code RandomAccessFile} read at its file pointer (a range served after {@code raf.seek(start)}). The
 * loop may sit inside try-with-resources, try/finally or try/catch ({@link #handlerProblem} says when it must stay).
 */
public final class BoundedLoopFinder {

    static final String RANDOM_ACCESS_FILE = "java/io/RandomAccessFile";

    /**
     * A rewritable bounded loop. {@code chunk}: the int constant of Jetty's {@code remaining < K ? (int) remaining
     * : K}, null otherwise. {@code randomAccess}: {@code in} is a RandomAccessFile, not an InputStream.
     */
    public record Bounded(int line, String source, AbstractInsnNode head, JumpInsnNode back, LabelNode exit, int in,
                          int out, int buf, int n, int remaining, boolean longRemaining, boolean nLive,
                          LoopShape shape, AbstractInsnNode chunk, boolean randomAccess) {
    }

    /**
     * A bounded loop with a send-everything flag, rewritten as a zero-copy prefix in front of the loop, which
     * stays as written. {@code source} is the instructions that load the stream (a local, or a field of a local).
     */
    public record Flagged(int line, String shapeSource, AbstractInsnNode head, JumpInsnNode back,
                          List<AbstractInsnNode> source, int out, int buf, int n, int remaining, int flag, int chunk,
                          boolean nLive, LoopShape shape) {
    }

    /** A bounded loop that stays as written, with the reason, and where it is. */
    public record Declined(CopyLoopFinder.Declined found, AbstractInsnNode head, JumpInsnNode back) {
    }

    private BoundedLoopFinder() {
    }

    /**
     * Finds the Content-Length loops that also have a send-everything mode, as NanoHTTPD's
     * {@code Response.sendBody} writes them:
     *
     * <pre>
     *   while (pending > 0 || everything) {                                  // pending, chunk: long locals
     *       long toRead = everything ? chunk : Math.min(pending, chunk);
     *       int n = in.read(buf, 0, (int) toRead);                           // in: a local or this.field
     *       if (n <= 0) break;                                               // or n < 0, n == -1
     *       out.write(buf, 0, n);
     *       if (!everything) pending -= n;
     *   }
     * </pre>
     *
     * With the flag clear this is a bounded loop reading {@code chunk} bytes at a time. The rewrite puts a
     * zero-copy prefix in front of the loop for that case and keeps the loop as written for the rest, so the
     * source is read as the first iteration reads it and everything else (the flag set, a stream zc cannot move,
     * the end of the file) runs the original code.
     */
    public static List<Flagged> findFlagged(String owner, MethodNode m, CopyLoopFinder.StreamTypes types)
            throws org.objectweb.asm.tree.analysis.AnalyzerException {
        return findFlagged(owner, m, types, new ArrayList<>());
    }

    /** As {@link #findFlagged(String, MethodNode, CopyLoopFinder.StreamTypes)}; the loops kept go to declined. */
    public static List<Flagged> findFlagged(String owner, MethodNode m, CopyLoopFinder.StreamTypes types,
                                            List<Declined> declined)
            throws org.objectweb.asm.tree.analysis.AnalyzerException {
        List<Flagged> found = new ArrayList<>();
        Liveness liveness = null;
        for (AbstractInsnNode insn = m.instructions.getFirst(); insn != null; insn = insn.getNext()) {
            Match x = Match.flagged(insn);
            if (x == null || !types.isInputStream(x.readOwner) || !types.isOutputStream(x.writeOwner)
                    || x.sourceField != null && !types.isInputStream(x.sourceField)) {
                continue;
            }
            int line = CopyLoopFinder.lineOf(x.head);
            int head = m.instructions.indexOf(x.head);
            int back = m.instructions.indexOf(x.back);
            String problem = CopyLoopFinder.jumpsInto(m, head, back) ? "code outside the loop jumps into it"
                    : !fallsInto(x.head) ? "code reaches the loop only by a jump (the prefix needs a fall-through)"
                    : handlerBoundaryAt(m, x.head) ? "a try range starts or ends right at the loop head" : null;
            if (problem == null) {
                if (liveness == null) {
                    liveness = Liveness.of(owner, m);
                }
                problem = handlerProblem(m, head, back, liveness, "pending", x.remaining, x.n, x.toRead);
                if (problem == null && liveness.liveAt(x.exit, x.toRead)) {
                    problem = "code after the loop reads the read length"; // the prefix does not leave it as the loop
                }
            }
            if (problem != null) {
                declined.add(new Declined(new CopyLoopFinder.Declined(line, flaggedSource(x), problem), x.head,
                        x.back));
                continue;
            }
            LoopShape shape = new LoopShape(true, x.cond, CopyLoopFinder.needsBufferRestore(m, x.buf, head, back));
            found.add(new Flagged(line, flaggedSource(x), x.head, x.back, x.source, x.out,
                    x.buf, x.n, x.remaining, x.flag, x.chunk, liveness.liveAt(x.exit, x.n), shape));
        }
        return found;
    }

    private static String flaggedSource(Match x) {
        return "while (pending > 0 || everything) { toRead = everything ? chunk : Math.min("
                + (x.remainingFirst ? "pending, chunk" : "chunk, pending") + "); n = in.read(buf, 0, (int) toRead); "
                + "if (n <= 0) break; out.write(buf, 0, n); if (!everything) pending -= n; }";
    }

    /** A try range starts or ends among the labels before the head: the prefix would go inside or outside it. */
    private static boolean handlerBoundaryAt(MethodNode m, AbstractInsnNode head) {
        for (AbstractInsnNode p = head.getPrevious(); p != null && p.getOpcode() < 0; p = p.getPrevious()) {
            for (TryCatchBlockNode t : m.tryCatchBlocks) {
                if (p == t.start || p == t.end || p == t.handler) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Code reaches the loop head by falling through (the prefix goes there, and needs no stack map frame). */
    private static boolean fallsInto(AbstractInsnNode head) {
        AbstractInsnNode p = CopyLoopFinder.Candidate.prevReal(head);
        if (p == null) {
            return false;
        }
        int op = p.getOpcode();
        return op != Opcodes.GOTO && op != Opcodes.ATHROW && op != Opcodes.TABLESWITCH && op != Opcodes.LOOKUPSWITCH
                && (op < Opcodes.IRETURN || op > Opcodes.RETURN);
    }

    public static List<Bounded> find(String owner, MethodNode m, CopyLoopFinder.StreamTypes types)
            throws org.objectweb.asm.tree.analysis.AnalyzerException {
        return find(owner, m, types, new ArrayList<>());
    }

    /**
     * The rewritable bounded loops of a method; the loops of these shapes that must stay as written go to
     * {@code declined}, with the reason.
     */
    public static List<Bounded> find(String owner, MethodNode m, CopyLoopFinder.StreamTypes types,
                                     List<Declined> declined)
            throws org.objectweb.asm.tree.analysis.AnalyzerException {
        List<Bounded> found = new ArrayList<>();
        Liveness liveness = null;
        for (AbstractInsnNode insn = m.instructions.getFirst(); insn != null; insn = insn.getNext()) {
            Match x = Match.at(insn);
            boolean randomAccess = x != null && RANDOM_ACCESS_FILE.equals(x.readOwner);
            if (x == null || !randomAccess && !types.isInputStream(x.readOwner)
                    || !types.isOutputStream(x.writeOwner)) {
                continue;
            }
            String source = x.split ? SPLIT_SOURCE : x.toRead >= 0 ? chunkSource(x.readLength)
                    : source(x.longRemaining, x.remainingFirst, x.readLength);
            int line = CopyLoopFinder.lineOf(x.head);
            int head = m.instructions.indexOf(x.head);
            int back = m.instructions.indexOf(x.back);
            if (CopyLoopFinder.jumpsInto(m, head, back)) {
                declined.add(new Declined(new CopyLoopFinder.Declined(line, source,
                        "code outside the loop jumps into it"), x.head, x.back));
                continue;
            }
            if (liveness == null) {
                liveness = Liveness.of(owner, m);
            }
            String problem = handlerProblem(m, head, back, liveness, "remaining", x.remaining, x.n, x.toRead);
            if (problem == null && x.toRead >= 0 && liveness.liveAt(x.exit, x.toRead)) {
                problem = "code after the loop reads the read length"; // the rewrite does not leave it as the loop
            }
            if (problem != null) {
                declined.add(new Declined(new CopyLoopFinder.Declined(line, source, problem), x.head, x.back));
                continue;
            }
            // the break condition: n < 0 (cond >= 0 continues) or n == -1 (cond != -1 continues)
            LoopShape shape = new LoopShape(true, x.cond, CopyLoopFinder.needsBufferRestore(m, x.buf, head, back),
                    x.split);
            found.add(new Bounded(line, source, x.head, x.back, x.exit, x.in, x.out, x.buf, x.n, x.remaining,
                    x.longRemaining, liveness.liveAt(x.exit, x.n), shape, x.readLength, randomAccess));
        }
        return found;
    }

    /**
     * The try ranges around a bounded loop: try-with-resources, try/finally and try/catch around it, as range
     * handlers write them ({@code try (RandomAccessFile raf = ...) { raf.seek(start); while (remaining > 0) ... }}).
     * The rewritten call stays inside every range that covered the loop, so an exception from the copy reaches the
     * same handlers in the same order (the resource's close, addSuppressed, the catch), and the source's position
     * is where the loop's failing read would have left it. What the call does not do mid-way is update
     * {@code remaining}, {@code n} and Jetty's read length chunk by chunk: the loop is declined when a handler
     * can read one of them. A range that starts or ends inside the loop would be torn apart: declined too. The
     * flagged loop's prefix goes in front of the loop, inside the same ranges (findFlagged has made sure no range
     * starts or ends right at the head), so the same holds for what the prefix moves.
     */
    private static String handlerProblem(MethodNode m, int head, int back, Liveness liveness, String name,
                                         int remaining, int n, int readLength) {
        for (TryCatchBlockNode t : m.tryCatchBlocks) {
            int start = CopyLoopFinder.realIndex(m, t.start);
            int end = CopyLoopFinder.realIndex(m, t.end);
            if (end <= head || start > back) {
                continue;
            }
            if (start > head || end <= back) {
                return "an exception handler range starts or ends inside the loop";
            }
            if (liveness.liveAt(t.handler, remaining)) {
                return "an exception handler around the loop reads " + name;
            }
            if (liveness.liveAt(t.handler, n)) {
                return "an exception handler around the loop reads n";
            }
            if (readLength >= 0 && liveness.liveAt(t.handler, readLength)) {
                return "an exception handler around the loop reads the read length";
            }
        }
        return null;
    }

    static final String SPLIT_SOURCE = "while (remaining > 0) { n = remaining < buf.length ? in.read(buf, 0, (int) "
            + "remaining) : in.read(buf); if (n == -1) break; out.write(buf, 0, n); remaining -= n; }";

    static String chunkSource(AbstractInsnNode chunk) {
        Object k = Match.intConstant(chunk);
        return "while (remaining > 0) { max = remaining < " + k + " ? (int) remaining : " + k + "; n = in.read(buf, 0, "
                + "max); if (n == -1) break; remaining -= n; out.write(buf, 0, n); }";
    }

    /** {@code limit}: the constant K of {@code Math.min(remaining, K)}, or null for {@code buf.length}. */
    static String source(boolean longRemaining, boolean remainingFirst, AbstractInsnNode limit) {
        String other = limit == null ? "buf.length" : String.valueOf(Match.intConstant(limit));
        return "while (remaining > 0) { n = in.read(buf, 0, " + (longRemaining ? "(int) " : "") + "Math.min("
                + (remainingFirst ? "remaining, " + other : other + ", remaining") + ")); if (n < 0) break; "
                + "out.write(buf, 0, n); remaining -= n; }";
    }

    /** One loop's instructions, matched from its head. */
    static final class Match {
        /** For {@link #minOf}: min's other operand is buf.length or K ({@link #limit}), not a local. */
        private static final int LIMIT = -1;
        AbstractInsnNode head;
        JumpInsnNode back;
        LabelNode exit;
        String readOwner;
        String writeOwner;
        int in;
        int out;
        int buf;
        int n;
        int remaining;
        boolean longRemaining;
        boolean split;
        AbstractInsnNode readLength;
        LoopShape.Cond cond;
        List<AbstractInsnNode> source;
        String sourceField;
        int flag;
        int chunk;
        int toRead = -1;
        boolean remainingFirst;
        private AbstractInsnNode at;

        /** The flagged loop, instruction by instruction, every jump checked to land where javac puts it. */
        static Match flagged(AbstractInsnNode start) {
            if (!(start instanceof VarInsnNode first) || first.getOpcode() != Opcodes.LLOAD) {
                return null;
            }
            Match x = new Match();
            x.head = start;
            x.at = start;
            x.remaining = first.var;
            // pending > 0 || everything:  lload r; lconst_0; lcmp; ifgt Lb; iload e; ifeq Le; Lb:
            if (!x.next(Opcodes.LCONST_0) || !x.next(Opcodes.LCMP)) {
                return null;
            }
            JumpInsnNode toBody = x.jump(Opcodes.IFGT);
            x.flag = x.load(Opcodes.ILOAD);
            JumpInsnNode exitJump = x.jump(Opcodes.IFEQ);
            if (toBody == null || x.flag < 0 || exitJump == null) {
                return null;
            }
            x.exit = exitJump.label;
            // toRead = everything ? chunk : Math.min(pending, chunk), or Math.min(chunk, pending):
            //   Lb: iload e; ifeq Lm; lload c; goto Ls; Lm: lload r; lload c; Math.min(JJ)J; Ls: lstore t
            if (x.load(Opcodes.ILOAD) != x.flag || !lands(toBody, x.at)) {
                return null;
            }
            JumpInsnNode toMin = x.jump(Opcodes.IFEQ);
            x.chunk = x.load(Opcodes.LLOAD);
            JumpInsnNode toStore = x.jump(Opcodes.GOTO);
            if (toMin == null || x.chunk < 0 || x.chunk == x.remaining || toStore == null
                    || !lands(toMin, CopyLoopFinder.Candidate.nextReal(toStore))
                    || !x.minOf(Opcodes.LLOAD, x.remaining, x.chunk)
                    || !x.call("java/lang/Math", "min", "(JJ)J")) {
                return null;
            }
            x.toRead = x.load(Opcodes.LSTORE);
            if (x.toRead < 0 || !lands(toStore, x.at) || x.toRead == x.remaining || x.toRead == x.chunk) {
                return null;
            }
            // n = in.read(buf, 0, (int) toRead), in a local or a field of a local
            AbstractInsnNode src = x.advance();
            if (!(src instanceof VarInsnNode s) || s.getOpcode() != Opcodes.ALOAD) {
                return null;
            }
            x.source = new ArrayList<>(List.of(src));
            x.buf = x.load(Opcodes.ALOAD);
            if (x.buf < 0 && x.at instanceof org.objectweb.asm.tree.FieldInsnNode f
                    && f.getOpcode() == Opcodes.GETFIELD && f.desc.startsWith("L")) {
                x.source.add(f);
                x.sourceField = f.desc.substring(1, f.desc.length() - 1);
                x.buf = x.load(Opcodes.ALOAD);
            }
            if (x.buf < 0 || !x.next(Opcodes.ICONST_0) || x.load(Opcodes.LLOAD) != x.toRead || !x.next(Opcodes.L2I)) {
                return null;
            }
            x.readOwner = x.virtual("read", "([BII)I");
            x.n = x.readOwner == null ? -1 : x.load(Opcodes.ISTORE);
            // if (n <= 0) break; out.write(buf, 0, n)
            if (x.n < 0 || x.n == x.flag || x.n == x.toRead || x.n == x.toRead + 1 || x.load(Opcodes.ILOAD) != x.n
                    || !x.breakThenWrite()) {
                return null;
            }
            // if (!everything) pending -= n:  iload e; ifne Lx; lload r; iload n; i2l; lsub; lstore r; Lx: goto Lh
            if (x.load(Opcodes.ILOAD) != x.flag) {
                return null;
            }
            JumpInsnNode keep = x.jump(Opcodes.IFNE);
            if (keep == null || x.load(Opcodes.LLOAD) != x.remaining || x.load(Opcodes.ILOAD) != x.n
                    || !x.next(Opcodes.I2L) || !x.next(Opcodes.LSUB) || x.load(Opcodes.LSTORE) != x.remaining) {
                return null;
            }
            x.back = x.jump(Opcodes.GOTO);
            if (x.back == null || !lands(keep, x.back) || !x.backTargetsHead() || !x.exitFollowsBack()) {
                return null;
            }
            return x;
        }

        /**
         * After {@code iload n}: {@code if (<n fails the condition>) break; out.write(buf, 0, n);} as javac emits it,
         * {@code <test> Lw; goto Le; Lw: aload out; aload buf; iconst_0; iload n; invokevirtual write([BII)V}.
         */
        private boolean breakThenWrite() {
            cond = breakTest();
            if (cond == null) {
                return false;
            }
            JumpInsnNode skip = (JumpInsnNode) at;
            JumpInsnNode brk = jump(Opcodes.GOTO);
            if (brk == null || brk.label != exit) {
                return false;
            }
            out = load(Opcodes.ALOAD);
            if (out < 0 || !lands(skip, at) || load(Opcodes.ALOAD) != buf || !next(Opcodes.ICONST_0)
                    || load(Opcodes.ILOAD) != n) {
                return false;
            }
            writeOwner = virtual("write", "([BII)V");
            return writeOwner != null;
        }

        /** After {@code iload n}: the test that skips the break; leaves {@code at} on the jump. */
        private LoopShape.Cond breakTest() {
            AbstractInsnNode i = advance();
            if (i == null) {
                return null;
            }
            if (i.getOpcode() == Opcodes.IFGT) {
                return LoopShape.Cond.POSITIVE;
            }
            if (i.getOpcode() == Opcodes.IFGE) {
                return LoopShape.Cond.NON_NEGATIVE;
            }
            return i.getOpcode() == Opcodes.ICONST_M1 && next(Opcodes.IF_ICMPNE) ? LoopShape.Cond.NOT_EOF : null;
        }

        /** Whether {@code jump} lands on {@code insn}: its label is among the labels right before it. */
        private static boolean lands(JumpInsnNode jump, AbstractInsnNode insn) {
            for (AbstractInsnNode p = insn.getPrevious(); p != null && p.getOpcode() < 0; p = p.getPrevious()) {
                if (p == jump.label) {
                    return true;
                }
            }
            return false;
        }

        /** The plain bounded loop ({@code while (remaining > 0)}), as the class comment shows it. */
        static Match at(AbstractInsnNode start) {
            if (!(start instanceof VarInsnNode first)
                    || first.getOpcode() != Opcodes.LLOAD && first.getOpcode() != Opcodes.ILOAD) {
                return null;
            }
            Match x = new Match();
            x.head = start;
            x.at = start;
            x.remaining = first.var;
            x.longRemaining = first.getOpcode() == Opcodes.LLOAD;
            // condition: lload r; lconst_0; lcmp; ifle Le  |  iload r; ifle Le
            if (x.longRemaining && !(x.next(Opcodes.LCONST_0) && x.next(Opcodes.LCMP))) {
                return null;
            }
            JumpInsnNode exitJump = x.jump(Opcodes.IFLE);
            if (exitJump == null) {
                return null;
            }
            x.exit = exitJump.label;
            AbstractInsnNode afterTest = x.at;
            if (x.splitRead()) {
                return x.rest() ? x : null;
            }
            x.at = afterTest;
            if (x.chunkRead()) {
                return x.countThenWrite() ? x : null;
            }
            x.at = afterTest;
            x.toRead = -1; // what a chunkRead that failed part way left
            x.readLength = null;
            // n = in.read(buf, 0, (int) Math.min(buf.length, remaining)), or Math.min(remaining, buf.length)
            x.in = x.load(Opcodes.ALOAD);
            x.buf = x.load(Opcodes.ALOAD);
            if (x.in < 0 || x.buf < 0 || !x.next(Opcodes.ICONST_0) || !x.minOfRemaining()) {
                return null;
            }
            x.readOwner = x.virtual("read", "([BII)I");
            x.n = x.readOwner == null ? -1 : x.load(Opcodes.ISTORE);
            return x.rest() ? x : null;
        }

        /**
         * The read length {@code Math.min(buf.length, remaining)} with its operands in either order (min is
         * symmetric: the reads are the same), {@code (int) Math.min(.., ..)} on a long {@code remaining}; or, for
         * {@code buf.length}, an int constant K ({@code Math.min(remaining, BUF_SIZE)}), which becomes the read
         * length as Jetty's K does. Javac widens {@code buf.length} by {@code i2l} and folds a long K into
         * {@code ldc2_w}: {@code aload buf; arraylength; i2l; lload r} or {@code lload r; aload buf; arraylength;
         * i2l}, then {@code invokestatic Math.min(JJ)J; l2i}.
         */
        private boolean minOfRemaining() {
            int loadRemaining = longRemaining ? Opcodes.LLOAD : Opcodes.ILOAD;
            if (!minOf(loadRemaining, remaining, LIMIT)) {
                return false;
            }
            return longRemaining ? call("java/lang/Math", "min", "(JJ)J") && next(Opcodes.L2I)
                    : call("java/lang/Math", "min", "(II)I");
        }

        /**
         * The two operands of a {@code Math.min} in either order: the local {@code remaining}, loaded by
         * {@code load}, and the other, the local {@code other} loaded the same way or, for {@link #LIMIT}, matched by
         * {@link #limit} from its first instruction. Sets {@link #remainingFirst}.
         */
        private boolean minOf(int load, int remaining, int other) {
            AbstractInsnNode first = advance();
            remainingFirst = loaded(first, load, remaining);
            return remainingFirst ? operand(advance(), load, other)
                    : operand(first, load, other) && loaded(advance(), load, remaining);
        }

        private boolean operand(AbstractInsnNode first, int load, int var) {
            return var == LIMIT ? limit(first) : loaded(first, load, var);
        }

        private static boolean loaded(AbstractInsnNode i, int opcode, int var) {
            return i instanceof VarInsnNode v && v.getOpcode() == opcode && v.var == var;
        }

        /** The operand of min that is not {@code remaining}, from its first instruction: buf.length or K. */
        private boolean limit(AbstractInsnNode first) {
            if (first instanceof VarInsnNode b && b.getOpcode() == Opcodes.ALOAD && b.var == buf) {
                return next(Opcodes.ARRAYLENGTH) && (!longRemaining || next(Opcodes.I2L));
            }
            Long k = !longRemaining ? intConstant(first)
                    : first instanceof org.objectweb.asm.tree.LdcInsnNode l && l.cst instanceof Long c ? c : null;
            if (k == null || k != k.intValue()) {
                return false;
            }
            readLength = new org.objectweb.asm.tree.LdcInsnNode(k.intValue());
            return true;
        }

        /**
         * Spring's {@code StreamUtils.copyRange}, after the loop's test:
         * {@code n = remaining < buf.length ? in.read(buf, 0, (int) remaining) : in.read(buf)}, as javac emits it:
         * {@code lload r; aload buf; arraylength; i2l; lcmp; ifge Lf; aload in; aload buf; iconst_0; lload r; l2i;
         * invokevirtual read([BII)I; goto Ls; Lf: aload in; aload buf; invokevirtual read([B)I; Ls: istore n}.
         */
        private boolean splitRead() {
            if (!longRemaining || load(Opcodes.LLOAD) != remaining) {
                return false;
            }
            buf = load(Opcodes.ALOAD);
            if (buf < 0 || !next(Opcodes.ARRAYLENGTH) || !next(Opcodes.I2L) || !next(Opcodes.LCMP)) {
                return false;
            }
            JumpInsnNode toFull = jump(Opcodes.IFGE);
            in = load(Opcodes.ALOAD);
            if (toFull == null || in < 0 || load(Opcodes.ALOAD) != buf || !next(Opcodes.ICONST_0)
                    || load(Opcodes.LLOAD) != remaining || !next(Opcodes.L2I)) {
                return false;
            }
            readOwner = virtual("read", "([BII)I");
            JumpInsnNode toStore = jump(Opcodes.GOTO);
            if (readOwner == null || toStore == null || load(Opcodes.ALOAD) != in || !lands(toFull, at)
                    || load(Opcodes.ALOAD) != buf || !readOwner.equals(virtual("read", "([B)I"))) {
                return false;
            }
            n = load(Opcodes.ISTORE);
            split = true;
            return n >= 0 && lands(toStore, at);
        }

        /**
         * Jetty's {@code IO.copy(in, out, count)}, after the loop's test:
         * {@code max = remaining < K ? (int) remaining : K; n = in.read(buf, 0, max);} with K an int constant (the
         * size Jetty gives its buffer): {@code lload r; ldc2_w K; lcmp; ifge Lk; lload r; l2i; goto Ls; Lk: ldc K;
         * Ls: istore max; aload in; aload buf; iconst_0; iload max; invokevirtual read([BII)I; istore n}.
         */
        private boolean chunkRead() {
            if (!longRemaining || load(Opcodes.LLOAD) != remaining
                    || !(advance() instanceof org.objectweb.asm.tree.LdcInsnNode limit && limit.cst instanceof Long k)
                    || !next(Opcodes.LCMP)) {
                return false;
            }
            JumpInsnNode toConstant = jump(Opcodes.IFGE);
            if (toConstant == null || load(Opcodes.LLOAD) != remaining || !next(Opcodes.L2I)) {
                return false;
            }
            JumpInsnNode toStore = jump(Opcodes.GOTO);
            AbstractInsnNode c = toStore == null ? null : advance();
            if (c == null || intConstant(c) == null || intConstant(c) != k.longValue() || !lands(toConstant, at)) {
                return false;
            }
            toRead = load(Opcodes.ISTORE);
            if (toRead < 0 || !lands(toStore, at)) {
                return false;
            }
            in = load(Opcodes.ALOAD);
            buf = load(Opcodes.ALOAD);
            if (in < 0 || buf < 0 || !next(Opcodes.ICONST_0) || load(Opcodes.ILOAD) != toRead) {
                return false;
            }
            readOwner = virtual("read", "([BII)I");
            n = readOwner == null ? -1 : load(Opcodes.ISTORE);
            readLength = c;
            return n >= 0 && n != toRead && toRead != remaining && toRead != remaining + 1;
        }

        /**
         * From {@code istore n}, Jetty's order: {@code if (n == -1) break; remaining -= n; out.write(buf, 0, n);}
         * (on a failing write the count was already taken; no handler may see it, which the finder checks).
         */
        private boolean countThenWrite() {
            if (load(Opcodes.ILOAD) != n) {
                return false;
            }
            cond = breakTest();
            if (cond == null || cond == LoopShape.Cond.POSITIVE) {
                return false;
            }
            JumpInsnNode skip = (JumpInsnNode) at;
            JumpInsnNode brk = jump(Opcodes.GOTO);
            if (brk == null || brk.label != exit || load(Opcodes.LLOAD) != remaining || !lands(skip, at)
                    || load(Opcodes.ILOAD) != n || !next(Opcodes.I2L) || !next(Opcodes.LSUB)
                    || load(Opcodes.LSTORE) != remaining) {
                return false;
            }
            out = load(Opcodes.ALOAD);
            if (out < 0 || load(Opcodes.ALOAD) != buf || !next(Opcodes.ICONST_0) || load(Opcodes.ILOAD) != n) {
                return false;
            }
            writeOwner = virtual("write", "([BII)V");
            back = jump(Opcodes.GOTO);
            // Jetty's loop is one branch of an if: javac sends its exit straight past the else branch that follows
            return writeOwner != null && back != null && backTargetsHead() && (exitFollowsBack() || exitOutside());
        }

        /** The exit label lies outside the loop's instructions (after the back edge or before the head). */
        private boolean exitOutside() {
            for (AbstractInsnNode a = head; a != null && a != back; a = a.getNext()) {
                if (a == exit) {
                    return false;
                }
            }
            return true;
        }

        /** The value of {@code ldc}, {@code sipush} or {@code bipush} of an int, or null. */
        static Long intConstant(AbstractInsnNode insn) {
            if (insn instanceof org.objectweb.asm.tree.LdcInsnNode l) {
                return l.cst instanceof Integer i ? i.longValue() : null;
            }
            return insn instanceof org.objectweb.asm.tree.IntInsnNode i && insn.getOpcode() != Opcodes.NEWARRAY
                    ? (long) i.operand : null;
        }

        /** From {@code istore n}: the break test, the write, {@code remaining -= n} and the back edge. */
        private boolean rest() {
            // if (n < 0) break; out.write(buf, 0, n)     (n == -1 also; n <= 0 is the flagged loop's alone)
            if (n < 0 || load(Opcodes.ILOAD) != n || !breakThenWrite() || cond == LoopShape.Cond.POSITIVE) {
                return false;
            }
            // remaining -= n
            if (longRemaining) {
                if (load(Opcodes.LLOAD) != remaining || load(Opcodes.ILOAD) != n || !next(Opcodes.I2L)
                        || !next(Opcodes.LSUB) || load(Opcodes.LSTORE) != remaining) {
                    return false;
                }
            } else if (load(Opcodes.ILOAD) != remaining || load(Opcodes.ILOAD) != n || !next(Opcodes.ISUB)
                    || load(Opcodes.ISTORE) != remaining) {
                return false;
            }
            back = jump(Opcodes.GOTO);
            return back != null && backTargetsHead() && exitFollowsBack();
        }

        private AbstractInsnNode advance() {
            at = CopyLoopFinder.Candidate.nextReal(at);
            return at;
        }

        private boolean next(int opcode) {
            AbstractInsnNode i = advance();
            return i != null && i.getOpcode() == opcode;
        }

        private int load(int opcode) {
            AbstractInsnNode i = advance();
            return i instanceof VarInsnNode v && v.getOpcode() == opcode ? v.var : -1;
        }

        private JumpInsnNode jump(int opcode) {
            AbstractInsnNode i = advance();
            return i instanceof JumpInsnNode j && j.getOpcode() == opcode ? j : null;
        }

        private boolean call(String owner, String name, String desc) {
            AbstractInsnNode i = advance();
            return i instanceof MethodInsnNode c && c.getOpcode() == Opcodes.INVOKESTATIC && c.owner.equals(owner)
                    && c.name.equals(name) && c.desc.equals(desc);
        }

        /** {@code invokevirtual <any owner>.name desc}: the owner, or null. */
        private String virtual(String name, String desc) {
            AbstractInsnNode i = advance();
            return i instanceof MethodInsnNode c && c.getOpcode() == Opcodes.INVOKEVIRTUAL && c.name.equals(name)
                    && c.desc.equals(desc) ? c.owner : null;
        }

        private boolean backTargetsHead() {
            for (AbstractInsnNode h = head.getPrevious(); h != null && h.getOpcode() < 0; h = h.getPrevious()) {
                if (h == back.label) {
                    return true;
                }
            }
            return false;
        }

        private boolean exitFollowsBack() {
            for (AbstractInsnNode a = back.getNext(); a != null && a.getOpcode() < 0; a = a.getNext()) {
                if (a == exit) {
                    return true;
                }
            }
            return false;
        }
    }
}
