package zc.agent.match;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.analysis.Analyzer;
import org.objectweb.asm.tree.analysis.BasicVerifier;
import zc.agent.stats.CallSite;
import zc.agent.stats.Stats;

/**
 * Rewrites the copy loops of one method: finds them, registers each as a call site, rewrites the rewritable ones
 * and checks the result with ASM's verifier. On any failure the method is put back exactly as it was read.
 */
public final class MethodRewriter {
    private final boolean observe;

    /**
     * @param observe true for mode=observe: loops are reported as "observed" and still routed to the dispatcher,
     *                which runs their original code and counts what a rewrite would move (ZcCopy.observe)
     */
    public MethodRewriter(boolean observe) {
        this.observe = observe;
    }

    /** Rewrites in place; returns whether anything changed. {@code major} is the class file version. */
    public boolean rewrite(String className, MethodNode m, CopyLoopFinder.StreamTypes types, int major) {
        return rewrite(className, m, types, major, new Registrations());
    }

    /** As above, recording every site registered in {@code regs} (the rewrite cache keeps them). */
    public boolean rewrite(String className, MethodNode m, CopyLoopFinder.StreamTypes types, int major,
                           Registrations regs) {
        String owner = className.replace('.', '/');
        List<CopyLoopFinder.Found> found;
        try {
            found = CopyLoopFinder.find(owner, m, types);
        } catch (Throwable t) {
            Stats.error("analysing " + className + "." + m.name, t);
            regs.failed();
            return false;
        }
        List<BoundedLoopFinder.Bounded> bounded;
        List<BoundedLoopFinder.Flagged> flagged;
        try {
            List<BoundedLoopFinder.Declined> boundedDeclined = new ArrayList<>();
            bounded = BoundedLoopFinder.find(owner, m, types, boundedDeclined);
            flagged = BoundedLoopFinder.findFlagged(owner, m, types, boundedDeclined);
            List<int[]> ranges = new ArrayList<>();
            for (BoundedLoopFinder.Bounded b : bounded) {
                ranges.add(range(m, b.head(), b.back()));
            }
            // a bounded loop declined with its reason is reported as that, not as a loop of another form
            for (BoundedLoopFinder.Declined d : boundedDeclined) {
                ranges.add(range(m, d.head(), d.back()));
            }
            for (BoundedLoopFinder.Flagged f : flagged) {
                ranges.add(range(m, f.head(), f.back()));
            }
            // a read-ahead loop reads again at the end of its body: that read is the same loop's
            for (CopyLoopFinder.Found f : found) {
                if (f instanceof CopyLoopFinder.Rewritable r) {
                    ranges.add(range(m, r.head(), r.back()));
                }
            }
            found = new ArrayList<>(found);
            for (BoundedLoopFinder.Declined d : boundedDeclined) {
                found.add(d.found());
            }
            found.addAll(UnmatchedLoops.find(owner, m, types, new InRanges(m, ranges)));
        } catch (Throwable t) {
            Stats.error("analysing " + className + "." + m.name, t);
            regs.failed();
            bounded = List.of();
            flagged = List.of();
        }
        if (found.isEmpty() && bounded.isEmpty() && flagged.isEmpty() && HelperRewriter.find(m, types).isEmpty()) {
            return false;
        }
        MethodNode original = new MethodNode(Opcodes.ASM9, m.access, m.name, m.desc, m.signature,
                m.exceptions.toArray(new String[0]));
        m.accept(original);
        boolean changed = false;
        try {
            for (CopyLoopFinder.Found f : found) {
                boolean rewritable = f instanceof CopyLoopFinder.Rewritable;
                int id = regs.register(new CallSite(className, m.name + m.desc, f.line(), f.source(),
                        !rewritable ? CallSite.Status.DECLINED
                                : observe ? CallSite.Status.OBSERVED : CallSite.Status.REWRITTEN,
                        rewritable ? null : ((CopyLoopFinder.Declined) f).reason()));
                if (rewritable) {
                    CopyLoopFinder.Rewritable r = (CopyLoopFinder.Rewritable) f;
                    CopyLoopRewriter.rewrite(m, r, regs.coded(id, r.shape().pack(id), LoopShape.SHIFT));
                    changed = true;
                }
            }
            for (BoundedLoopFinder.Bounded b : bounded) {
                int id = regs.register(new CallSite(className, m.name + m.desc, b.line(), b.source(),
                        observe ? CallSite.Status.OBSERVED : CallSite.Status.REWRITTEN, null));
                CopyLoopRewriter.rewrite(m, b, regs.coded(id, b.shape().pack(id), LoopShape.SHIFT));
                changed = true;
            }
            for (BoundedLoopFinder.Flagged f : flagged) {
                int id = regs.register(new CallSite(className, m.name + m.desc, f.line(), f.shapeSource(),
                        observe ? CallSite.Status.OBSERVED : CallSite.Status.REWRITTEN, null));
                CopyLoopRewriter.rewritePrefix(m, f, regs.coded(id, f.shape().pack(id), LoopShape.SHIFT));
                changed = true;
            }
            for (HelperRewriter.Call call : HelperRewriter.find(m, types)) {
                boolean old = major < Opcodes.V1_7;
                int id = regs.register(new CallSite(className, m.name + m.desc, call.line(), call.helper().source(),
                        old ? CallSite.Status.DECLINED : observe ? CallSite.Status.OBSERVED : CallSite.Status.REWRITTEN,
                        old ? "class file older than Java 7: no method handle constants" : null));
                if (!old) {
                    HelperRewriter.rewrite(m, call, regs.coded(id, call.helper().pack(id), Helper.SHIFT));
                    changed = true;
                }
            }
            if (changed) {
                new Analyzer<>(new BasicVerifier()).analyze(owner, m);
                zc.agent.jfr.CopyEvents.prepareSoon();
            }
            return changed;
        } catch (Throwable t) {
            Stats.error("rewriting " + className + "." + m.name, t);
            regs.failed();
            Stats.declineClass(className, "the rewrite failed verification: " + t.getMessage());
            restore(m, original);
            return false;
        }
    }

    /** Where a loop is, as indices of its first instruction and its back edge. */
    private static int[] range(MethodNode m, AbstractInsnNode head, AbstractInsnNode back) {
        return new int[] {m.instructions.indexOf(head), m.instructions.indexOf(back)};
    }

    /**
     * Whether a read call lies inside one of the loops already found (a class, not a lambda: no lambda bootstrap
     * while the first class is transformed, docs/BENCHMARKS.md, start-up).
     */
    private record InRanges(MethodNode m, List<int[]> ranges) implements Predicate<MethodInsnNode> {
        @Override
        public boolean test(MethodInsnNode read) {
            int at = m.instructions.indexOf(read);
            for (int[] r : ranges) {
                if (r[0] <= at && at <= r[1]) {
                    return true;
                }
            }
            return false;
        }
    }

    /** Puts back the code as read (the copy has its own labels); annotations and the rest were never touched. */
    private static void restore(MethodNode m, MethodNode original) {
        m.instructions = original.instructions;
        m.tryCatchBlocks = original.tryCatchBlocks;
        m.localVariables = original.localVariables;
        m.visibleLocalVariableAnnotations = original.visibleLocalVariableAnnotations;
        m.invisibleLocalVariableAnnotations = original.invisibleLocalVariableAnnotations;
        m.maxStack = original.maxStack;
        m.maxLocals = original.maxLocals;
    }
}
