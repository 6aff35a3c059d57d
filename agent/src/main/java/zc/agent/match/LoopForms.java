package zc.agent.match;

import java.util.Collections;
import java.util.HashSet;
import java.util.Set;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.IntInsnNode;
import org.objectweb.asm.tree.JumpInsnNode;
import org.objectweb.asm.tree.LabelNode;
import org.objectweb.asm.tree.LdcInsnNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.VarInsnNode;

/**
 * The other ways real libraries write the same unbounded copy loop, each the same sequence of calls as
 * {@code while ((n = in.read(buf)) != -1) out.write(buf, 0, n);} and so replaced the same way:
 *
 * <pre>
 *   while (-1 != (n = in.read(buf))) { ... }                     // CONSTANT_LEFT: commons-io copyLarge, Spark
 *   while (true) { n = in.read(buf); if (n < 0) break; ... }     // BREAK: Jetty IO.copy (also == -1, <= 0)
 *   n = in.read(buf); while (n >= 0) { ...; n = in.read(buf); }  // READ_AHEAD: Kotlin InputStream.copyTo
 * </pre>
 *
 * and, in each, {@code in.read(buf, 0, buf.length)} or {@code in.read(buf, 0, CHUNK)} with a constant or a local
 * the body leaves alone (Jetty reads {@code 65536} into a buffer of that size). Jumps are matched where javac and
 * kotlinc put them: a {@code break} is a test that skips a {@code goto} to the exit, or one jump to it.
 */
final class LoopForms {

    /** How the loop is written, for the source text the statistics show. */
    enum Form {
        WHILE, CONSTANT_LEFT, BREAK, READ_AHEAD;

        String source(String read, LoopShape.Cond cond, String total) {
            String rest = "out.write(buf, 0, n);" + (total == null ? "" : " " + total + " += n;");
            String ends = switch (cond) {
                case NOT_EOF -> "n == -1";
                case NON_NEGATIVE -> "n < 0";
                case POSITIVE -> "n <= 0";
            };
            return switch (this) {
                case WHILE -> "while ((n = " + read + ") " + cond.source() + ") { " + rest + " }";
                case CONSTANT_LEFT -> "while (" + constantLeft(cond) + "(n = " + read + ")) { " + rest + " }";
                case BREAK -> "while (true) { n = " + read + "; if (" + ends + ") break; " + rest + " }";
                case READ_AHEAD -> "n = " + read + "; while (n " + cond.source() + ") { " + rest + " n = " + read
                        + "; }";
            };
        }

        private static String constantLeft(LoopShape.Cond cond) {
            return switch (cond) {
                case NOT_EOF -> "-1 != ";
                case NON_NEGATIVE -> "-1 < ";
                case POSITIVE -> "0 < ";
            };
        }
    }

    private LoopForms() {
    }

    /**
     * The loop around this read in one of the forms above, or null. {@code handlers}: the method's exception
     * handlers, which javac places between a loop's back edge and its exit when the loop holds a try/catch.
     */
    static CopyLoopFinder.Candidate match(MethodInsnNode read, Set<LabelNode> handlers) {
        CopyLoopFinder.Candidate c = new CopyLoopFinder.Candidate();
        if (!arguments(read, c)) {
            return null;
        }
        AbstractInsnNode before = CopyLoopFinder.Candidate.prevReal(c.head);
        AbstractInsnNode after = CopyLoopFinder.Candidate.nextReal(read);
        if (after != null && after.getOpcode() == Opcodes.DUP) {
            AbstractInsnNode compare = CopyLoopFinder.Candidate.nextReal(CopyLoopFinder.Candidate.nextReal(after));
            boolean twoOperands = compare != null && compare.getOpcode() >= Opcodes.IF_ICMPEQ
                    && compare.getOpcode() <= Opcodes.IF_ICMPLE;
            return twoOperands ? constantLeft(c, before, after, handlers)
                    : c.chunk != null ? whileChunk(c, after, handlers) : null;
        }
        if (!(after instanceof VarInsnNode store) || after.getOpcode() != Opcodes.ISTORE) {
            return null;
        }
        c.n = store.var;
        AbstractInsnNode test = CopyLoopFinder.Candidate.nextReal(store);
        if (!test(c, test)) {
            return null;
        }
        // BREAK: the back edge goes to the read; READ_AHEAD: to the test, and the body ends with the same read.
        if (findBack(c, labelsBefore(c.head), handlers)) {
            c.form = Form.BREAK;
            return c;
        }
        Set<LabelNode> testLabels = labelsBefore(test);
        if (testLabels.isEmpty() || !findBack(c, testLabels, handlers)) {
            return null;
        }
        AbstractInsnNode reread = sameReadBefore(c, c.back);
        if (reread == null) {
            return null;
        }
        c.bodyEnd = reread;
        c.form = Form.READ_AHEAD;
        return c;
    }

    /** {@code aload in; aload buf} then nothing, {@code iconst_0; aload buf; arraylength} or {@code iconst_0; K}. */
    static boolean arguments(MethodInsnNode read, CopyLoopFinder.Candidate c) {
        c.readOwner = read.owner;
        c.readRange = read.desc.equals("([BII)I");
        AbstractInsnNode p = CopyLoopFinder.Candidate.prevReal(read);
        if (c.readRange) {
            int lengthOf = -1;
            if (p != null && p.getOpcode() == Opcodes.ARRAYLENGTH
                    && CopyLoopFinder.Candidate.prevReal(p) instanceof VarInsnNode b
                    && b.getOpcode() == Opcodes.ALOAD) {
                lengthOf = b.var;
                p = b;
            } else if (isChunk(p)) {
                c.chunk = p;
            } else {
                return false;
            }
            p = CopyLoopFinder.Candidate.prevReal(p);
            if (p == null || p.getOpcode() != Opcodes.ICONST_0) {
                return false;
            }
            p = CopyLoopFinder.Candidate.prevReal(p);
            if (!(p instanceof VarInsnNode b) || p.getOpcode() != Opcodes.ALOAD
                    || lengthOf >= 0 && b.var != lengthOf) {
                return false;
            }
            c.buf = b.var;
        } else {
            if (!(p instanceof VarInsnNode b) || p.getOpcode() != Opcodes.ALOAD) {
                return false;
            }
            c.buf = b.var;
        }
        p = CopyLoopFinder.Candidate.prevReal(p);
        if (!(p instanceof VarInsnNode in) || p.getOpcode() != Opcodes.ALOAD) {
            return false;
        }
        c.in = in.var;
        c.head = p;
        c.read = read;
        return c.chunk == null || !(c.chunk instanceof VarInsnNode v) || v.var != c.in && v.var != c.buf;
    }

    /** A read length the rewritten code can load again: a constant, or an int local. */
    private static boolean isChunk(AbstractInsnNode p) {
        if (p == null) {
            return false;
        }
        int op = p.getOpcode();
        return p instanceof LdcInsnNode l && l.cst instanceof Integer
                || p instanceof IntInsnNode && (op == Opcodes.BIPUSH || op == Opcodes.SIPUSH)
                || op >= Opcodes.ICONST_1 && op <= Opcodes.ICONST_5
                || p instanceof VarInsnNode && op == Opcodes.ILOAD;
    }

    /** {@code Lh: iconst_m1 (or iconst_0); <read>; dup; istore n; if_icmpXX Le}. */
    private static CopyLoopFinder.Candidate constantLeft(CopyLoopFinder.Candidate c, AbstractInsnNode constant,
                                                         AbstractInsnNode dup, Set<LabelNode> handlers) {
        if (constant == null || constant.getOpcode() != Opcodes.ICONST_M1 && constant.getOpcode() != Opcodes.ICONST_0
                || !(CopyLoopFinder.Candidate.nextReal(dup) instanceof VarInsnNode store)
                || store.getOpcode() != Opcodes.ISTORE
                || !(CopyLoopFinder.Candidate.nextReal(store) instanceof JumpInsnNode exit)) {
            return null;
        }
        boolean minusOne = constant.getOpcode() == Opcodes.ICONST_M1;
        // the jump leaves the loop when the condition fails: -1 != n fails on equal, -1 < n on >=, 0 < n on >=
        c.cond = switch (exit.getOpcode()) {
            case Opcodes.IF_ICMPEQ -> minusOne ? LoopShape.Cond.NOT_EOF : null;
            case Opcodes.IF_ICMPGE -> minusOne ? LoopShape.Cond.NON_NEGATIVE : LoopShape.Cond.POSITIVE;
            case Opcodes.IF_ICMPGT -> minusOne ? null : LoopShape.Cond.NON_NEGATIVE;
            default -> null;
        };
        if (c.cond == null) {
            return null;
        }
        c.n = store.var;
        c.head = constant;
        c.exit = exit.label;
        c.afterCompare = exit.getNext();
        c.form = Form.CONSTANT_LEFT;
        return findBack(c, labelsBefore(constant), handlers) ? c : null;
    }

    /** {@code while ((n = in.read(buf, 0, CHUNK)) != -1)}: the plain form, which CopyLoopFinder matches without CHUNK. */
    private static CopyLoopFinder.Candidate whileChunk(CopyLoopFinder.Candidate c, AbstractInsnNode dup,
                                                       Set<LabelNode> handlers) {
        if (!(CopyLoopFinder.Candidate.nextReal(dup) instanceof VarInsnNode store)
                || store.getOpcode() != Opcodes.ISTORE) {
            return null;
        }
        c.n = store.var;
        AbstractInsnNode j = CopyLoopFinder.Candidate.nextReal(store);
        boolean matched = j != null && j.getOpcode() == Opcodes.ICONST_M1
                ? CopyLoopFinder.Candidate.nextReal(j) instanceof JumpInsnNode eq
                        && eq.getOpcode() == Opcodes.IF_ICMPEQ && exitsAt(c, eq, LoopShape.Cond.NOT_EOF)
                : j instanceof JumpInsnNode jump && (jump.getOpcode() == Opcodes.IFLT
                        && exitsAt(c, jump, LoopShape.Cond.NON_NEGATIVE)
                        || jump.getOpcode() == Opcodes.IFLE && exitsAt(c, jump, LoopShape.Cond.POSITIVE));
        c.form = Form.WHILE;
        return matched && findBack(c, labelsBefore(c.head), handlers) ? c : null;
    }

    /**
     * After {@code istore n}: the test that ends the loop, either one jump to the exit ({@code iload n; iflt Le})
     * or, as javac compiles {@code if (n < 0) break;}, the opposite test over a {@code goto Le}. Also with the
     * constant on the left ({@code if (-1 == n) break;}). Sets the condition, the exit and where the body starts.
     */
    private static boolean test(CopyLoopFinder.Candidate c, AbstractInsnNode first) {
        boolean constantFirst = first != null && first.getOpcode() == Opcodes.ICONST_M1;
        AbstractInsnNode load = constantFirst ? CopyLoopFinder.Candidate.nextReal(first) : first;
        if (!(load instanceof VarInsnNode v) || v.getOpcode() != Opcodes.ILOAD || v.var != c.n) {
            return false;
        }
        AbstractInsnNode j = CopyLoopFinder.Candidate.nextReal(load);
        if (!constantFirst && j != null && j.getOpcode() == Opcodes.ICONST_M1) {
            constantFirst = true;
            j = CopyLoopFinder.Candidate.nextReal(j);
        }
        if (!(j instanceof JumpInsnNode jump)) {
            return false;
        }
        if (constantFirst) {
            return comparedWithMinusOne(c, jump);
        }
        return switch (jump.getOpcode()) {
            case Opcodes.IFLT -> exitsAt(c, jump, LoopShape.Cond.NON_NEGATIVE);
            case Opcodes.IFLE -> exitsAt(c, jump, LoopShape.Cond.POSITIVE);
            case Opcodes.IFGE -> skipsBreak(c, jump, LoopShape.Cond.NON_NEGATIVE);
            case Opcodes.IFGT -> skipsBreak(c, jump, LoopShape.Cond.POSITIVE);
            default -> false;
        };
    }

    /** {@code n == -1} (either order): equal jumps out, not-equal skips the break. */
    private static boolean comparedWithMinusOne(CopyLoopFinder.Candidate c, JumpInsnNode jump) {
        return jump.getOpcode() == Opcodes.IF_ICMPEQ ? exitsAt(c, jump, LoopShape.Cond.NOT_EOF)
                : jump.getOpcode() == Opcodes.IF_ICMPNE && skipsBreak(c, jump, LoopShape.Cond.NOT_EOF);
    }

    private static boolean exitsAt(CopyLoopFinder.Candidate c, JumpInsnNode jump, LoopShape.Cond cond) {
        c.cond = cond;
        c.exit = jump.label;
        c.afterCompare = jump.getNext();
        return true;
    }

    /** {@code <test> Lw; goto Le; Lw:} with Lw right after the goto. */
    private static boolean skipsBreak(CopyLoopFinder.Candidate c, JumpInsnNode test, LoopShape.Cond cond) {
        if (!(CopyLoopFinder.Candidate.nextReal(test) instanceof JumpInsnNode brk) || brk.getOpcode() != Opcodes.GOTO
                || !labelsBetween(brk, CopyLoopFinder.Candidate.nextReal(brk)).contains(test.label)) {
            return false;
        }
        c.cond = cond;
        c.exit = brk.label;
        c.afterCompare = brk.getNext();
        return true;
    }

    /** The goto back to one of {@code heads}, before the exit, with the exit label right after it. */
    private static boolean findBack(CopyLoopFinder.Candidate c, Set<LabelNode> heads, Set<LabelNode> handlers) {
        for (AbstractInsnNode b = c.afterCompare; b != null; b = b.getNext()) {
            if (b instanceof JumpInsnNode g && g.getOpcode() == Opcodes.GOTO && heads.contains(g.label)) {
                c.back = g;
                Set<LabelNode> after = labelsBetween(g, CopyLoopFinder.Candidate.nextReal(g));
                c.handlerAfterBack = !after.contains(c.exit);
                return after.contains(c.exit) || !Collections.disjoint(after, handlers);
            }
            if (b == c.exit) {
                return false;
            }
        }
        return false;
    }

    /** The read of the loop's head again, right before the back edge: {@code <same read>; istore n}. */
    private static AbstractInsnNode sameReadBefore(CopyLoopFinder.Candidate c, AbstractInsnNode back) {
        AbstractInsnNode store = CopyLoopFinder.Candidate.prevReal(back);
        if (!(store instanceof VarInsnNode s) || s.getOpcode() != Opcodes.ISTORE || s.var != c.n
                || !(CopyLoopFinder.Candidate.prevReal(store) instanceof MethodInsnNode again)
                || again.getOpcode() != c.read.getOpcode() || !again.owner.equals(c.read.owner)
                || !again.name.equals(c.read.name) || !again.desc.equals(c.read.desc)) {
            return null;
        }
        CopyLoopFinder.Candidate second = new CopyLoopFinder.Candidate();
        if (!arguments(again, second) || second.in != c.in || second.buf != c.buf
                || !sameChunk(c.chunk, second.chunk)) {
            return null;
        }
        c.reread = again;
        return second.head;
    }

    private static boolean sameChunk(AbstractInsnNode a, AbstractInsnNode b) {
        if (a == null || b == null) {
            return a == b;
        }
        if (a.getOpcode() != b.getOpcode()) {
            return false;
        }
        if (a instanceof LdcInsnNode x) {
            return x.cst.equals(((LdcInsnNode) b).cst);
        }
        if (a instanceof IntInsnNode x) {
            return x.operand == ((IntInsnNode) b).operand;
        }
        return !(a instanceof VarInsnNode x) || x.var == ((VarInsnNode) b).var;
    }

    private static Set<LabelNode> labelsBefore(AbstractInsnNode insn) {
        Set<LabelNode> labels = new HashSet<>();
        for (AbstractInsnNode h = insn.getPrevious(); h != null && h.getOpcode() < 0; h = h.getPrevious()) {
            if (h instanceof LabelNode l) {
                labels.add(l);
            }
        }
        return labels;
    }

    private static Set<LabelNode> labelsBetween(AbstractInsnNode from, AbstractInsnNode to) {
        Set<LabelNode> labels = new HashSet<>();
        for (AbstractInsnNode a = from.getNext(); a != null && a != to; a = a.getNext()) {
            if (a instanceof LabelNode l) {
                labels.add(l);
            }
        }
        return labels;
    }
}
