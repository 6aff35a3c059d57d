package zc.agent.match;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.InsnNode;
import org.objectweb.asm.tree.IntInsnNode;
import org.objectweb.asm.tree.JumpInsnNode;
import org.objectweb.asm.tree.LabelNode;
import org.objectweb.asm.tree.LineNumberNode;
import org.objectweb.asm.tree.LookupSwitchInsnNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.TableSwitchInsnNode;
import org.objectweb.asm.tree.TryCatchBlockNode;
import org.objectweb.asm.tree.VarInsnNode;
import org.objectweb.asm.tree.analysis.AnalyzerException;

/**
 * Finds the copy loops javac emits for
 *
 * <pre>
 *   while ((n = in.read(buf)) != -1) { out.write(buf, 0, n); }       // also >= 0 and > 0, for (int n; ...; ),
 *   while ((n = in.read(buf, 0, buf.length)) != -1) { ... }          // and a running total += n in the body
 * </pre>
 *
 * <p>In bytecode: {@code Lc: aload in; aload buf; invokevirtual read; dup; istore n; <compare> Le; <body>; goto Lc;
 * Le:}. A loop whose condition matches but whose body does more than write the buffer (and count) is reported as
 * declined with the reason; anything else is not a copy loop and is ignored.
 */
public final class CopyLoopFinder {

    /** Resolves whether a class (internal name) is an InputStream or OutputStream, without loading it. */
    public interface StreamTypes {
        boolean isInputStream(String internalName);

        boolean isOutputStream(String internalName);
    }

    /** A loop found in a method: rewritable, or declined with a reason. */
    public sealed interface Found permits Rewritable, Declined {
        int line();

        String source();
    }

    public record Declined(int line, String source, String reason) implements Found {
    }

    /**
     * @param head      the first instruction of the loop (aload in)
     * @param back      the goto that closes it
     * @param exit      the label after the loop
     * @param totalDesc "J" or "I" for a running total, null for none
     * @param nLive     whether code after the loop reads n
     * @param chunk     the instruction that loads the read length of {@code in.read(buf, 0, CHUNK)}, or null
     * @param caught    the try/catch ranges inside the loop (all with one handler outside it), to cover the call
     */
    public record Rewritable(int line, String source, LoopShape shape, AbstractInsnNode head, JumpInsnNode back,
                             LabelNode exit, int in, int out, int buf, int n, int total, String totalDesc,
                             boolean nLive, AbstractInsnNode chunk, List<TryCatchBlockNode> caught)
            implements Found {
    }

    private CopyLoopFinder() {
    }

    public static List<Found> find(String owner, MethodNode method, StreamTypes types) throws AnalyzerException {
        List<Found> found = new ArrayList<>();
        Liveness liveness = null;
        for (AbstractInsnNode insn = method.instructions.getFirst(); insn != null; insn = insn.getNext()) {
            if (!(insn instanceof MethodInsnNode call) || call.getOpcode() != Opcodes.INVOKEVIRTUAL
                    || !call.name.equals("read") || !(call.desc.equals("([B)I") || call.desc.equals("([BII)I"))) {
                continue;
            }
            Candidate c = candidate(method, call);
            if (c == null) {
                continue;
            }
            if (liveness == null) {
                liveness = Liveness.of(owner, method);
            }
            Found f = classify(method, c, types, liveness);
            if (f != null) {
                found.add(f);
            }
        }
        return found;
    }

    /** The loop around a read call, in any of the forms zc knows, or null. */
    static Candidate candidate(MethodNode method, MethodInsnNode read) {
        Candidate c = Candidate.match(read);
        if (c == null) {
            Set<LabelNode> handlers = new HashSet<>();
            for (TryCatchBlockNode t : method.tryCatchBlocks) {
                handlers.add(t.handler);
            }
            c = LoopForms.match(read, handlers);
        }
        return c;
    }

    private static Found classify(MethodNode method, Candidate c, StreamTypes types, Liveness liveness) {
        Body body = Body.parse(c);
        if (body.writeOwner == null) {
            return null; // reads a stream in a loop but never writes the buffer out: not a copy loop
        }
        String source = c.source(body.totalDesc == null ? null : "total");
        int line = lineOf(c.head);
        if (body.extra == null && c.chunk instanceof VarInsnNode v && (v.var == c.n || v.var == body.total)) {
            body.extra = "it changes the read length";
        }
        if (body.extra != null) {
            return new Declined(line, source, body.extra.equals(CoverageProbes.REASON) ? body.extra
                    : "the loop body does more than write and count: " + body.extra);
        }
        if (!types.isInputStream(c.readOwner)) {
            return new Declined(line, source, c.readOwner.replace('/', '.') + " is not an InputStream");
        }
        if (!types.isOutputStream(body.writeOwner)) {
            return new Declined(line, source, body.writeOwner.replace('/', '.') + " is not an OutputStream");
        }
        int headIndex = method.instructions.indexOf(c.head);
        int backIndex = method.instructions.indexOf(c.back);
        String handlers = handlerProblem(method, headIndex, backIndex, c, body, liveness);
        if (handlers == null && c.handlerAfterBack && c.caught.isEmpty()) {
            handlers = "an exception handler of code outside the loop follows it";
        }
        if (handlers != null) {
            return new Declined(line, source, handlers);
        }
        if (jumpsInto(method, headIndex, backIndex)) {
            return new Declined(line, source, "code outside the loop jumps into it");
        }
        boolean nLive = liveness.liveAt(c.exit, c.n);
        LoopShape shape = c.shape(needsBufferRestore(method, c, headIndex, backIndex));
        return new Rewritable(line, source, shape, c.head, c.back, c.exit, c.in, body.out, c.buf, c.n, body.total,
                body.totalDesc, nLive, c.chunk, List.copyOf(c.caught));
    }

    /**
     * An exception thrown inside the rewritten call skips the per-iteration updates of n and the total: declined
     * when a handler in this method would see them. A handler range that starts outside the loop and ends inside
     * it (or the reverse) would be torn apart by the rewrite. Ranges wholly inside the loop (Tomcat's
     * {@code try { n = in.read(buf); if (n == -1) break; out.write(buf, 0, n); } catch (IOException e) { ... }})
     * become one range around the call when they share one handler outside the loop: it then catches the same
     * exception from the same read or write, and sees the same state as long as it reads neither n nor the total.
     */
    private static String handlerProblem(MethodNode method, int head, int back, Candidate c, Body body,
                                         Liveness liveness) {
        for (TryCatchBlockNode t : method.tryCatchBlocks) {
            int start = realIndex(method, t.start);
            int end = realIndex(method, t.end);
            if (end <= head || start > back) {
                continue;
            }
            boolean inside = start >= head && end <= back + 1;
            if (inside) {
                int handler = realIndex(method, t.handler);
                if (handler >= head && handler <= back) {
                    return "an exception handler inside the loop";
                }
                if (!c.caught.isEmpty() && (c.caught.get(0).handler != t.handler
                        || !java.util.Objects.equals(c.caught.get(0).type, t.type))) {
                    return "the read and the write have different exception handlers inside the loop";
                }
                c.caught.add(t);
            } else if (start > head || end <= back) {
                return "an exception handler range starts or ends inside the loop";
            }
            if (liveness.liveAt(t.handler, c.n)) {
                return "an exception handler " + (inside ? "inside" : "around") + " the loop reads n";
            }
            if (body.totalDesc != null && liveness.liveAt(t.handler, body.total)) {
                return "an exception handler " + (inside ? "inside" : "around") + " the loop reads the running total";
            }
        }
        return null;
    }

    /** The index of the first instruction at or after a label (labels, line numbers and frames skipped). */
    static int realIndex(MethodNode method, LabelNode label) {
        AbstractInsnNode a = label;
        while (a != null && a.getOpcode() < 0) {
            a = a.getNext();
        }
        return a == null ? method.instructions.size() : method.instructions.indexOf(a);
    }

    static boolean jumpsInto(MethodNode method, int head, int back) {
        Set<LabelNode> inside = new HashSet<>();
        for (int i = head + 1; i <= back; i++) {
            if (method.instructions.get(i) instanceof LabelNode l) {
                inside.add(l);
            }
        }
        for (int i = 0; i < method.instructions.size(); i++) {
            if (i >= head && i <= back) {
                continue;
            }
            AbstractInsnNode insn = method.instructions.get(i);
            List<LabelNode> targets = new ArrayList<>();
            if (insn instanceof JumpInsnNode j) {
                targets.add(j.label);
            } else if (insn instanceof TableSwitchInsnNode s) {
                targets.add(s.dflt);
                targets.addAll(s.labels);
            } else if (insn instanceof LookupSwitchInsnNode s) {
                targets.add(s.dflt);
                targets.addAll(s.labels);
            }
            for (LabelNode l : targets) {
                if (inside.contains(l)) {
                    return true;
                }
            }
        }
        for (TryCatchBlockNode t : method.tryCatchBlocks) {
            if (inside.contains(t.handler)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The original loop leaves the last chunks it read in the buffer. The dispatcher puts them back unless the
     * buffer provably dies with the loop: a local (not a parameter) only ever assigned a fresh {@code new byte[]}
     * and never read outside the loop.
     */
    private static boolean needsBufferRestore(MethodNode method, Candidate c, int head, int back) {
        return needsBufferRestore(method, c.buf, head, back);
    }

    static boolean needsBufferRestore(MethodNode method, int buf, int head, int back) {
        int paramSlots = (method.access & Opcodes.ACC_STATIC) != 0 ? 0 : 1;
        for (Type t : Type.getArgumentTypes(method.desc)) {
            paramSlots += t.getSize();
        }
        if (buf < paramSlots) {
            return true;
        }
        for (int i = 0; i < method.instructions.size(); i++) {
            AbstractInsnNode insn = method.instructions.get(i);
            if (!(insn instanceof VarInsnNode v) || v.var != buf) {
                continue;
            }
            if (v.getOpcode() == Opcodes.ALOAD && (i < head || i > back)) {
                return true;
            }
            if (v.getOpcode() == Opcodes.ASTORE) {
                AbstractInsnNode prev = Candidate.prevReal(v);
                if (!(prev instanceof IntInsnNode a && a.getOpcode() == Opcodes.NEWARRAY
                        && a.operand == Opcodes.T_BYTE)) {
                    return true;
                }
            }
        }
        return false;
    }

    static int lineOf(AbstractInsnNode insn) {
        for (AbstractInsnNode p = insn; p != null; p = p.getPrevious()) {
            if (p instanceof LineNumberNode l) {
                return l.line;
            }
        }
        return -1;
    }

    /** The condition part of a loop, matched around its read call. */
    static final class Candidate {
        AbstractInsnNode head;
        String readOwner;
        boolean readRange;
        LoopShape.Cond cond;
        int in;
        int buf;
        int n;
        AbstractInsnNode afterCompare;
        JumpInsnNode back;
        LabelNode exit;
        /** The read call, the read length of {@code read(buf, 0, CHUNK)} (null for buf.length). */
        MethodInsnNode read;
        AbstractInsnNode chunk;
        /** Where the body ends: the back edge, or the read that a read-ahead loop repeats before it (reread). */
        AbstractInsnNode bodyEnd;
        MethodInsnNode reread;
        LoopForms.Form form = LoopForms.Form.WHILE;
        /** Whether a handler, not the exit, follows the back edge: then it must be the loop's own. */
        boolean handlerAfterBack;
        /** Try/catch ranges inside the loop, found by handlerProblem. */
        final List<TryCatchBlockNode> caught = new ArrayList<>();

        LoopShape shape(boolean restoreBuffer) {
            return new LoopShape(readRange, cond, restoreBuffer);
        }

        String source(String total) {
            String read = "in.read(buf" + (!readRange ? "" : chunk == null ? ", 0, buf.length" : ", 0, "
                    + chunkSource()) + ")";
            return form.source(read, cond, total);
        }

        private String chunkSource() {
            if (chunk instanceof org.objectweb.asm.tree.LdcInsnNode l) {
                return String.valueOf(l.cst);
            }
            if (chunk instanceof IntInsnNode i) {
                return String.valueOf(i.operand);
            }
            return chunk instanceof VarInsnNode ? "len" : String.valueOf(chunk.getOpcode() - Opcodes.ICONST_0);
        }

        static Candidate match(MethodInsnNode read) {
            Candidate c = new Candidate();
            // aload in; aload buf; [iconst_0; aload buf; arraylength]; invokevirtual read. Labels and line numbers
            // may sit between them (javac -g starts a local's scope with a label); jumps to any of them from
            // outside the loop are ruled out later.
            if (!LoopForms.arguments(read, c) || c.chunk != null) {
                return null;
            }
            // dup; istore n; then iconst_m1 + if_icmpeq / iflt / ifle
            AbstractInsnNode q = nextReal(read);
            if (!is(q, Opcodes.DUP)) {
                return null;
            }
            q = nextReal(q);
            if (!(q instanceof VarInsnNode store) || q.getOpcode() != Opcodes.ISTORE) {
                return null;
            }
            c.n = store.var;
            q = nextReal(q);
            JumpInsnNode exitJump;
            if (is(q, Opcodes.ICONST_M1) && nextReal(q) instanceof JumpInsnNode j
                    && j.getOpcode() == Opcodes.IF_ICMPEQ) {
                c.cond = LoopShape.Cond.NOT_EOF;
                exitJump = j;
            } else if (q instanceof JumpInsnNode j && j.getOpcode() == Opcodes.IFLT) {
                c.cond = LoopShape.Cond.NON_NEGATIVE;
                exitJump = j;
            } else if (q instanceof JumpInsnNode j && j.getOpcode() == Opcodes.IFLE) {
                c.cond = LoopShape.Cond.POSITIVE;
                exitJump = j;
            } else {
                return null;
            }
            c.exit = exitJump.label;
            c.afterCompare = exitJump.getNext();
            // The loop head: labels (and line numbers, frames) right before aload in; the back edge jumps there.
            Set<LabelNode> headLabels = new HashSet<>();
            for (AbstractInsnNode h = c.head.getPrevious(); h != null && h.getOpcode() < 0; h = h.getPrevious()) {
                if (h instanceof LabelNode l) {
                    headLabels.add(l);
                }
            }
            for (AbstractInsnNode b = c.afterCompare; b != null; b = b.getNext()) {
                if (b instanceof JumpInsnNode g && g.getOpcode() == Opcodes.GOTO && headLabels.contains(g.label)) {
                    c.back = g;
                    break;
                }
                if (b == c.exit) {
                    return null;
                }
            }
            if (c.back == null || nextLabelsExclude(c.back, c.exit)) {
                return null;
            }
            return c;
        }

        static AbstractInsnNode nextReal(AbstractInsnNode insn) {
            AbstractInsnNode n = insn.getNext();
            while (n != null && n.getOpcode() < 0) {
                n = n.getNext();
            }
            return n;
        }

        /** True when the exit label is not among the labels right after the back edge (not a while loop). */
        private static boolean nextLabelsExclude(AbstractInsnNode back, LabelNode exit) {
            for (AbstractInsnNode a = back.getNext(); a != null && a.getOpcode() < 0; a = a.getNext()) {
                if (a == exit) {
                    return false;
                }
            }
            return true;
        }

        static AbstractInsnNode prevReal(AbstractInsnNode insn) {
            AbstractInsnNode p = insn.getPrevious();
            while (p != null && p.getOpcode() < 0) {
                p = p.getPrevious();
            }
            return p;
        }

        private static boolean is(AbstractInsnNode insn, int opcode) {
            return insn instanceof InsnNode && insn.getOpcode() == opcode;
        }
    }

    /** The loop body between the compare and the back edge. */
    static final class Body {
        String writeOwner;
        int out = -1;
        int total = -1;
        String totalDesc;
        String extra;

        static Body parse(Candidate c) {
            Body body = new Body();
            List<AbstractInsnNode> insns = new ArrayList<>();
            AbstractInsnNode end = c.bodyEnd != null ? c.bodyEnd : c.back;
            for (AbstractInsnNode b = c.afterCompare; b != end; b = b.getNext()) {
                if (b.getOpcode() >= 0) {
                    insns.add(b); // labels, line numbers and frames carry no effect; jumps into the body are checked
                }
            }
            for (AbstractInsnNode b : insns) {
                if (b instanceof MethodInsnNode m && m.name.equals("write") && m.desc.equals("([BII)V")) {
                    body.writeOwner = m.owner;
                }
            }
            int i = 0;
            boolean wrote = false;
            boolean counted = false;
            while (i < insns.size()) {
                int used = wrote ? 0 : body.matchWrite(insns, i, c);
                if (used > 0) {
                    wrote = true;
                    i += used;
                    continue;
                }
                used = counted ? 0 : body.matchTotal(insns, i, c);
                if (used > 0) {
                    counted = true;
                    i += used;
                    continue;
                }
                body.extra = describe(insns.subList(i, insns.size()));
                return body;
            }
            if (!wrote && body.writeOwner != null) {
                body.extra = "the write is not out.write(buf, 0, n)";
            }
            return body;
        }

        /** aload out; aload buf; iconst_0; iload n; invokevirtual write([BII)V */
        private int matchWrite(List<AbstractInsnNode> s, int i, Candidate c) {
            if (i + 5 > s.size()) {
                return 0;
            }
            if (s.get(i) instanceof VarInsnNode o && o.getOpcode() == Opcodes.ALOAD && o.var != c.buf
                    && s.get(i + 1) instanceof VarInsnNode b && b.getOpcode() == Opcodes.ALOAD && b.var == c.buf
                    && s.get(i + 2).getOpcode() == Opcodes.ICONST_0
                    && s.get(i + 3) instanceof VarInsnNode n && n.getOpcode() == Opcodes.ILOAD && n.var == c.n
                    && s.get(i + 4) instanceof MethodInsnNode w && w.getOpcode() == Opcodes.INVOKEVIRTUAL
                    && w.name.equals("write") && w.desc.equals("([BII)V")) {
                out = o.var;
                writeOwner = w.owner;
                return 5;
            }
            return 0;
        }

        /** lload t; iload n; i2l; ladd; lstore t   or   iload t; iload n; iadd; istore t */
        private int matchTotal(List<AbstractInsnNode> s, int i, Candidate c) {
            if (i + 5 <= s.size() && s.get(i) instanceof VarInsnNode t && t.getOpcode() == Opcodes.LLOAD
                    && s.get(i + 1) instanceof VarInsnNode n && n.getOpcode() == Opcodes.ILOAD && n.var == c.n
                    && s.get(i + 2).getOpcode() == Opcodes.I2L && s.get(i + 3).getOpcode() == Opcodes.LADD
                    && s.get(i + 4) instanceof VarInsnNode st && st.getOpcode() == Opcodes.LSTORE
                    && st.var == t.var) {
                total = t.var;
                totalDesc = "J";
                return 5;
            }
            if (i + 4 <= s.size() && s.get(i) instanceof VarInsnNode t && t.getOpcode() == Opcodes.ILOAD
                    && t.var != c.n
                    && s.get(i + 1) instanceof VarInsnNode n && n.getOpcode() == Opcodes.ILOAD && n.var == c.n
                    && s.get(i + 2).getOpcode() == Opcodes.IADD
                    && s.get(i + 3) instanceof VarInsnNode st && st.getOpcode() == Opcodes.ISTORE
                    && st.var == t.var) {
                total = t.var;
                totalDesc = "I";
                return 4;
            }
            return 0;
        }

        /** Names the first effect of the unexpected instructions: a call, a branch, a field access. */
        private static String describe(List<AbstractInsnNode> rest) {
            if (CoverageProbes.in(rest)) {
                return CoverageProbes.REASON;
            }
            for (AbstractInsnNode insn : rest) {
                if (insn instanceof MethodInsnNode m) {
                    return "calls " + m.owner.replace('/', '.') + "." + m.name;
                }
                if (insn instanceof JumpInsnNode || insn instanceof TableSwitchInsnNode
                        || insn instanceof LookupSwitchInsnNode) {
                    return "it branches (a conditional write, a break or a nested loop)";
                }
                if (insn instanceof org.objectweb.asm.tree.FieldInsnNode f) {
                    boolean write = f.getOpcode() == Opcodes.PUTFIELD || f.getOpcode() == Opcodes.PUTSTATIC;
                    return (write ? "writes" : "reads") + " field " + f.name;
                }
                if (insn instanceof org.objectweb.asm.tree.InvokeDynamicInsnNode) {
                    return "it creates a lambda or concatenates strings";
                }
            }
            return "it computes or stores other values";
        }
    }
}
