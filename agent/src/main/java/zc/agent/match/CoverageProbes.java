package zc.agent.match;

import java.util.List;
import org.objectweb.asm.ConstantDynamic;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.LdcInsnNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.VarInsnNode;

/**
 * JaCoCo's coverage probes in a loop body. JaCoCo's agent transforms classes without retransformation, so the JVM
 * runs it before zc whatever the order of the -javaagent options: zc sees the probes, {@code probes[i] = true}
 * stored into the array that {@code $jacocoInit()} (or, for class files of Java 11 and later, the constant
 * {@code $jacocoData}) gives each method. A rewritten loop would skip them, and the coverage report would show the
 * loop body as never run: such loops are declined with this reason.
 */
final class CoverageProbes {
    static final String REASON = "JaCoCo's coverage probes are in the loop body (JaCoCo instrumented the class "
            + "before zc saw it): a rewrite would skip them and lose the loop's coverage";

    private CoverageProbes() {
    }

    /** Whether {@code body} stores a probe: aload probes; push index; iconst_1; bastore, in a JaCoCo method. */
    static boolean in(List<AbstractInsnNode> body) {
        for (int i = 3; i < body.size(); i++) {
            if (body.get(i).getOpcode() == Opcodes.BASTORE && body.get(i - 1).getOpcode() == Opcodes.ICONST_1
                    && body.get(i - 3) instanceof VarInsnNode v && v.getOpcode() == Opcodes.ALOAD) {
                return initialisedByJacoco(body.get(i - 3), v.var);
            }
        }
        return false;
    }

    /** Whether the method, before {@code from}, stores JaCoCo's probe array into local {@code var}. */
    private static boolean initialisedByJacoco(AbstractInsnNode from, int var) {
        for (AbstractInsnNode insn = from.getPrevious(); insn != null; insn = insn.getPrevious()) {
            if (insn instanceof VarInsnNode store && store.getOpcode() == Opcodes.ASTORE && store.var == var) {
                for (AbstractInsnNode p = store.getPrevious(); p != null; p = p.getPrevious()) {
                    if (p instanceof MethodInsnNode m && m.name.equals("$jacocoInit")
                            || p instanceof LdcInsnNode ldc && ldc.cst instanceof ConstantDynamic c
                            && c.getName().equals("$jacocoData")) {
                        return true;
                    }
                    if (p.getOpcode() >= 0 && p.getOpcode() != Opcodes.CHECKCAST) {
                        return false;
                    }
                }
                return false;
            }
        }
        return false;
    }
}
