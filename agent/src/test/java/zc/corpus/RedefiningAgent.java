package zc.corpus;

import java.lang.instrument.Instrumentation;

/**
 * Another agent, as a debugger's hot swap or JRebel would be: keeps its Instrumentation for {@link RedefinedCopyApp}
 * to redefine or retransform a class zc rewrote.
 */
public final class RedefiningAgent {
    public static volatile Instrumentation inst;

    private RedefiningAgent() {
    }

    public static void premain(String args, Instrumentation i) {
        inst = i;
    }
}
