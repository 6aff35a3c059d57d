package zc.agent.boot;

import java.lang.instrument.ClassFileTransformer;
import java.security.ProtectionDomain;
import zc.agent.AgentOptions;
import zc.agent.jdk.JdkCallees;
import zc.agent.match.ConstantPoolScan;
import zc.agent.match.LoopTransformer;

/**
 * The transformer registered at start-up. It does only what every loaded class must pay for: the name and loader
 * checks and the constant-pool scan ({@link ConstantPoolScan}), which most classes fail in a few microseconds. The
 * {@link LoopTransformer}, and with it ASM, is created for the first class that passes,
 * so an application whose classes hold no copy never loads the bytecode library at all. Of the JDK's classes only
 * {@code sun.nio.ch.ChannelInputStream} is touched, when it loads: its callee hook ({@link JdkCallees}).
 */
final class FirstScanTransformer implements ClassFileTransformer {
    private final AgentOptions options;
    /** Whether the JDK's ChannelInputStream gets its callee hook when it loads ({@link JdkCallees}). */
    private final boolean hookJdk;
    private volatile LoopTransformer loops;

    FirstScanTransformer(AgentOptions options, boolean hookJdk) {
        this.options = options;
        this.hookJdk = hookJdk;
    }

    @Override
    public byte[] transform(ClassLoader loader, String name, Class<?> redefined, ProtectionDomain pd,
                            byte[] bytes) {
        try {
            if (loader == null) {
                return hookJdk && JdkCallees.TARGET.equals(name) ? JdkCallees.hook(bytes) : null;
            }
            if (name == null || ConstantPoolScan.skipped(name)
                    || !ConstantPoolScan.mayHoldCopyLoop(bytes)) {
                return null;
            }
            return loops().transform(loader, name, redefined, pd, bytes);
        } catch (Throwable t) {
            zc.agent.stats.Stats.error("setting up the transformer for " + name, t);
            return null;
        }
    }

    private LoopTransformer loops() {
        LoopTransformer l = loops;
        if (l == null) {
            synchronized (this) {
                l = loops;
                if (l == null) {
                    l = new LoopTransformer(options);
                    loops = l;
                }
            }
        }
        return l;
    }
}
