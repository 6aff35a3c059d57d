package zc.agent.match;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.IincInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.VarInsnNode;
import org.objectweb.asm.tree.analysis.Analyzer;
import org.objectweb.asm.tree.analysis.AnalyzerException;
import org.objectweb.asm.tree.analysis.BasicInterpreter;
import org.objectweb.asm.tree.analysis.BasicValue;

/**
 * Whether a local variable's value can still be read at a given instruction: a backward data-flow over the
 * method's control-flow graph, exception edges included. The rewrite uses it to know whether code after a loop
 * (or an exception handler around it) reads the loop's {@code n} or running total.
 */
final class Liveness {
    private final MethodNode method;
    private final List<List<Integer>> successors;

    private Liveness(MethodNode method, List<List<Integer>> successors) {
        this.method = method;
        this.successors = successors;
    }

    static Liveness of(String owner, MethodNode method) throws AnalyzerException {
        int size = method.instructions.size();
        List<List<Integer>> succ = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            succ.add(new ArrayList<>(2));
        }
        new Analyzer<>(new BasicInterpreter()) {
            @Override
            protected void newControlFlowEdge(int insn, int successor) {
                succ.get(insn).add(successor);
            }

            @Override
            protected boolean newControlFlowExceptionEdge(int insn, int successor) {
                succ.get(insn).add(successor);
                return true;
            }
        }.analyze(owner, method);
        return new Liveness(method, succ);
    }

    /** True when some path from {@code at} reads variable {@code var} before storing it. */
    boolean liveAt(AbstractInsnNode at, int var) {
        int size = method.instructions.size();
        BitSet liveIn = new BitSet(size);
        boolean changed = true;
        while (changed) {
            changed = false;
            for (int i = size - 1; i >= 0; i--) {
                AbstractInsnNode insn = method.instructions.get(i);
                boolean live;
                if (reads(insn, var)) {
                    live = true;
                } else if (writes(insn, var)) {
                    live = false;
                } else {
                    live = false;
                    for (int s : successors.get(i)) {
                        if (liveIn.get(s)) {
                            live = true;
                            break;
                        }
                    }
                }
                if (live && !liveIn.get(i)) {
                    liveIn.set(i);
                    changed = true;
                }
            }
        }
        return liveIn.get(method.instructions.indexOf(at));
    }

    private static boolean reads(AbstractInsnNode insn, int var) {
        if (insn instanceof VarInsnNode v && v.var == var) {
            int op = v.getOpcode();
            return op >= Opcodes.ILOAD && op <= Opcodes.ALOAD || op == Opcodes.RET;
        }
        return insn instanceof IincInsnNode inc && inc.var == var;
    }

    private static boolean writes(AbstractInsnNode insn, int var) {
        return insn instanceof VarInsnNode v && v.var == var && v.getOpcode() >= Opcodes.ISTORE
                && v.getOpcode() <= Opcodes.ASTORE;
    }
}
