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
 * where {@code remaining} is a long or int local. The instructions are matched one by one, as javac emits them.
 */
public final class BoundedLoopFinder {

    /** A rewritable bounded loop. */
    public record Bounded(int line, String source, AbstractInsnNode head, JumpInsnNode back, LabelNode exit, int in,
                          int out, int buf, int n, int remaining, boolean longRemaining, boolean nLive,
                          LoopShape shape) {
    }

    private BoundedLoopFinder() {
    }

    public static List<Bounded> find(String owner, MethodNode m, CopyLoopFinder.StreamTypes types)
            throws org.objectweb.asm.tree.analysis.AnalyzerException {
        List<Bounded> found = new ArrayList<>();
        Liveness liveness = null;
        for (AbstractInsnNode insn = m.instructions.getFirst(); insn != null; insn = insn.getNext()) {
            Match x = Match.at(insn);
            if (x == null || !types.isInputStream(x.readOwner) || !types.isOutputStream(x.writeOwner)) {
                continue;
            }
            int head = m.instructions.indexOf(x.head);
            int back = m.instructions.indexOf(x.back);
            if (CopyLoopFinder.jumpsInto(m, head, back) || coveredByHandler(m, head, back)) {
                continue;
            }
            if (liveness == null) {
                liveness = Liveness.of(owner, m);
            }
            // the break condition: n < 0 (cond >= 0 continues) or n == -1 (cond != -1 continues)
            LoopShape shape = new LoopShape(true, x.breaksOnMinusOne ? LoopShape.Cond.NOT_EOF
                    : LoopShape.Cond.NON_NEGATIVE, CopyLoopFinder.needsBufferRestore(m, x.buf, head, back));
            found.add(new Bounded(CopyLoopFinder.lineOf(x.head), source(x.longRemaining), x.head, x.back, x.exit,
                    x.in, x.out, x.buf, x.n, x.remaining, x.longRemaining, liveness.liveAt(x.exit, x.n), shape));
        }
        return found;
    }

    static String source(boolean longRemaining) {
        return "while (remaining > 0) { n = in.read(buf, 0, " + (longRemaining ? "(int) " : "")
                + "Math.min(buf.length, remaining)); if (n < 0) break; out.write(buf, 0, n); remaining -= n; }";
    }

    /** Handlers around the loop would see n and remaining mid-loop: such loops are left alone. */
    private static boolean coveredByHandler(MethodNode m, int head, int back) {
        for (TryCatchBlockNode t : m.tryCatchBlocks) {
            int start = m.instructions.indexOf(t.start);
            int end = m.instructions.indexOf(t.end);
            if (end > head && start <= back) {
                return true;
            }
        }
        return false;
    }

    /** One loop's instructions, matched from its head. */
    private static final class Match {
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
        boolean breaksOnMinusOne;
        private AbstractInsnNode at;

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
            // n = in.read(buf, 0, (int) Math.min(buf.length, remaining))
            x.in = x.load(Opcodes.ALOAD);
            x.buf = x.load(Opcodes.ALOAD);
            if (x.in < 0 || x.buf < 0 || !x.next(Opcodes.ICONST_0) || x.load(Opcodes.ALOAD) != x.buf
                    || !x.next(Opcodes.ARRAYLENGTH)) {
                return null;
            }
            if (x.longRemaining) {
                if (!x.next(Opcodes.I2L) || x.load(Opcodes.LLOAD) != x.remaining || !x.call("java/lang/Math", "min",
                        "(JJ)J") || !x.next(Opcodes.L2I)) {
                    return null;
                }
            } else if (x.load(Opcodes.ILOAD) != x.remaining || !x.call("java/lang/Math", "min", "(II)I")) {
                return null;
            }
            MethodInsnNode read = x.method();
            if (read == null || read.getOpcode() != Opcodes.INVOKEVIRTUAL || !read.name.equals("read")
                    || !read.desc.equals("([BII)I")) {
                return null;
            }
            x.readOwner = read.owner;
            x.n = x.load(Opcodes.ISTORE);
            // if (n < 0) break;  ->  iload n; ifge Lw; goto Le        (n == -1: iload n; iconst_m1; if_icmpne Lw)
            if (x.n < 0 || x.load(Opcodes.ILOAD) != x.n) {
                return null;
            }
            JumpInsnNode skip = x.jump(Opcodes.IFGE);
            if (skip == null) {
                x.at = x.at.getPrevious();
                while (x.at.getOpcode() < 0) {
                    x.at = x.at.getPrevious();
                }
                if (!x.next(Opcodes.ICONST_M1)) {
                    return null;
                }
                skip = x.jump(Opcodes.IF_ICMPNE);
                x.breaksOnMinusOne = true;
            }
            JumpInsnNode brk = x.jump(Opcodes.GOTO);
            if (skip == null || brk == null || brk.label != x.exit) {
                return null;
            }
            // out.write(buf, 0, n)
            x.out = x.load(Opcodes.ALOAD);
            if (x.out < 0 || x.load(Opcodes.ALOAD) != x.buf || !x.next(Opcodes.ICONST_0)
                    || x.load(Opcodes.ILOAD) != x.n) {
                return null;
            }
            MethodInsnNode write = x.method();
            if (write == null || write.getOpcode() != Opcodes.INVOKEVIRTUAL || !write.name.equals("write")
                    || !write.desc.equals("([BII)V")) {
                return null;
            }
            x.writeOwner = write.owner;
            // remaining -= n
            if (x.longRemaining) {
                if (x.load(Opcodes.LLOAD) != x.remaining || x.load(Opcodes.ILOAD) != x.n || !x.next(Opcodes.I2L)
                        || !x.next(Opcodes.LSUB) || x.load(Opcodes.LSTORE) != x.remaining) {
                    return null;
                }
            } else if (x.load(Opcodes.ILOAD) != x.remaining || x.load(Opcodes.ILOAD) != x.n || !x.next(Opcodes.ISUB)
                    || x.load(Opcodes.ISTORE) != x.remaining) {
                return null;
            }
            x.back = x.jump(Opcodes.GOTO);
            if (x.back == null || !x.backTargetsHead() || !x.exitFollowsBack()) {
                return null;
            }
            return x;
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

        private MethodInsnNode method() {
            AbstractInsnNode i = advance();
            return i instanceof MethodInsnNode c ? c : null;
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
