package zc.agent.match;

import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import net.bytebuddy.asm.AsmVisitorWrapper;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.implementation.Implementation;
import net.bytebuddy.pool.TypePool;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.analysis.Analyzer;
import org.objectweb.asm.tree.analysis.BasicVerifier;
import zc.agent.stats.CallSite;
import zc.agent.stats.Stats;

/**
 * ByteBuddy's hook into each method of a class being loaded: buffers the method, finds its copy loops, registers
 * each as a call site, rewrites the rewritable ones, checks the result with ASM's verifier, and emits the method.
 * On any failure the method is emitted exactly as it was read.
 */
public final class CopyLoopWrapper implements AsmVisitorWrapper.ForDeclaredMethods.MethodVisitorWrapper {
    private final CallSite.Status routed;

    /**
     * @param observe true for mode=observe: loops are routed through the dispatcher all the same (it runs them as
     *                written and counts them), and their sites say "observed"
     */
    public CopyLoopWrapper(boolean observe) {
        this.routed = observe ? CallSite.Status.OBSERVED : CallSite.Status.REWRITTEN;
    }

    @Override
    public MethodVisitor wrap(TypeDescription type, MethodDescription method, MethodVisitor target,
                              Implementation.Context context, TypePool pool, int writerFlags, int readerFlags) {
        if (method.isAbstract() || method.isNative()) {
            return target;
        }
        return new MethodNode(Opcodes.ASM9, method.getActualModifiers(), method.getInternalName(),
                method.getDescriptor(), method.getGenericSignature(), null) {
            @Override
            public void visitEnd() {
                super.visitEnd();
                rewrite(type, this, pool);
                accept(target);
            }
        };
    }

    /** Rewrites in place; returns whether anything changed. Restores the method when anything goes wrong. */
    private boolean rewrite(TypeDescription type, MethodNode m, TypePool pool) {
        String owner = type.getInternalName();
        List<CopyLoopFinder.Found> found;
        try {
            found = CopyLoopFinder.find(owner, m, new PoolStreamTypes(pool));
        } catch (Throwable t) {
            Stats.error("analysing " + type.getName() + "." + m.name, t);
            return false;
        }
        if (found.isEmpty()) {
            return false;
        }
        MethodNode original = new MethodNode(Opcodes.ASM9, m.access, m.name, m.desc, m.signature,
                m.exceptions.toArray(String[]::new));
        m.accept(original);
        boolean changed = false;
        try {
            for (int i = 0; i < found.size(); i++) {
                CopyLoopFinder.Found f = found.get(i);
                boolean rewritable = f instanceof CopyLoopFinder.Rewritable;
                int id = Stats.register(new CallSite(type.getName(), m.name + m.desc, f.line(), f.source(),
                        rewritable ? routed : CallSite.Status.DECLINED,
                        rewritable ? null : ((CopyLoopFinder.Declined) f).reason()));
                if (rewritable) {
                    CopyLoopFinder.Rewritable r = (CopyLoopFinder.Rewritable) f;
                    CopyLoopRewriter.rewrite(m, r, r.shape().pack(id));
                    changed = true;
                }
            }
            if (changed) {
                new Analyzer<>(new BasicVerifier()).analyze(owner, m);
            }
            return changed;
        } catch (Throwable t) {
            Stats.error("rewriting " + type.getName() + "." + m.name, t);
            Stats.declineClass(type.getName(), "the rewrite failed verification: " + t.getMessage());
            restore(m, original);
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

    /** Stream types from ByteBuddy's type pool: the class file is read, the class is not loaded. */
    private record PoolStreamTypes(TypePool pool) implements CopyLoopFinder.StreamTypes {
        @Override
        public boolean isInputStream(String internalName) {
            return assignable(internalName, InputStream.class);
        }

        @Override
        public boolean isOutputStream(String internalName) {
            return assignable(internalName, OutputStream.class);
        }

        private boolean assignable(String internalName, Class<?> to) {
            try {
                TypePool.Resolution r = pool.describe(internalName.replace('/', '.'));
                return r.isResolved() && r.resolve().isAssignableTo(to);
            } catch (RuntimeException | LinkageError e) {
                return false;
            }
        }
    }
}
