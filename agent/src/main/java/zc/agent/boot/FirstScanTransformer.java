package zc.agent.boot;

import java.lang.instrument.ClassFileTransformer;
import java.security.ProtectionDomain;
import java.util.List;
import zc.agent.AgentOptions;
import zc.agent.cache.CacheDirectory;
import zc.agent.cache.RewriteCache;
import zc.agent.jdk.JdkCallees;
import zc.agent.match.ConstantPoolScan;
import zc.agent.match.LoopTransformer;

/**
 * What zc does as classes load. Where the class-load hook in C is on ({@link NativeHook}), that hook runs the
 * constant-pool scan and hands this class only what passes it ({@link #scanned}); otherwise this is the transformer
 * registered at start-up, and it does only what every loaded class must pay for: the constant-pool scan
 * ({@link ConstantPoolScan}), which most classes fail in a few microseconds, then the name and loader checks. A
 * class that passes is looked up in the rewrite cache ({@link RewriteCache}); only on a miss is the
 * {@link LoopTransformer}, and with it ASM, created, so an application whose classes hold no copy, or whose rewrites
 * are all cached from an earlier start, never loads the bytecode library at all. Of the JDK's classes only
 * {@code sun.nio.ch.ChannelInputStream} is touched, when it loads: its callee hook ({@link JdkCallees}).
 */
final class FirstScanTransformer implements ClassFileTransformer {
    private final AgentOptions options;
    /** Whether the JDK's ChannelInputStream gets its callee hook when it loads ({@link JdkCallees}). */
    private final boolean hookJdk;
    private volatile LoopTransformer loops;
    /** The rewrite cache, opened for the first class that passes the scan; {@link #NO_CACHE} where it is off. */
    private volatile Object cache;
    private static final Object NO_CACHE = new Object();

    FirstScanTransformer(AgentOptions options, boolean hookJdk) {
        this.options = options;
        this.hookJdk = hookJdk;
    }

    @Override
    public byte[] transform(ClassLoader loader, String name, Class<?> redefined, ProtectionDomain pd,
                            byte[] bytes) {
        try {
            if (loader != null && !(ConstantPoolScan.applies(loader, name, options)
                    && ConstantPoolScan.mayHoldCopyLoop(bytes))) {
                return null;
            }
            return scanned(loader, name, bytes);
        } catch (Throwable t) {
            zc.agent.stats.Stats.error("setting up the transformer for " + name, t);
            return null;
        }
    }

    /**
     * The work after the constant-pool scan, for a class that passed it (from {@link #transform}, or from the hook
     * in C, which ran the same scan): the name and loader checks, the rewrite cache, the rewrite. Never throws.
     */
    byte[] scanned(ClassLoader loader, String name, byte[] bytes) {
        try {
            if (loader == null) {
                return hookJdk && JdkCallees.TARGET.equals(name) ? hookJdk(name, bytes) : null;
            }
            if (!ConstantPoolScan.applies(loader, name, options)) { // again, after the hook in C: cheap, and rare
                return null;
            }
            RewriteCache c = cache();
            byte[][] cached = c == null ? null : c.lookup(loader, name, bytes);
            if (cached != null) {
                return cached[0];
            }
            LoopTransformer.Rewrite r = loops().rewrite(loader, name, bytes);
            if (c != null) {
                c.store(name, bytes, r);
            }
            return r.bytes();
        } catch (Throwable t) {
            zc.agent.stats.Stats.error("setting up the transformer for " + name, t);
            return null;
        }
    }

    /** The JDK callee hook, from the cache where it holds it: on JDK 21+ the hook is the only use of ASM. */
    private byte[] hookJdk(String name, byte[] bytes) {
        if (!JdkCallees.hookable(bytes)) {
            return null;
        }
        RewriteCache c = cache();
        byte[][] cached = c == null ? null : c.lookup(null, name, bytes);
        if (cached != null && cached[0] != null) {
            JdkCallees.hooked();
            return cached[0];
        }
        byte[] out = JdkCallees.hook(bytes);
        if (out != null && options.log() == AgentOptions.Log.DEBUG) {
            System.err.println("zc-agent: " + name + " rewritten"); // as a hit says, with "(rewrite cache)"
        }
        if (c != null && out != null) {
            c.store(name, bytes, new LoopTransformer.Rewrite(out, List.of(), List.of(), true));
        }
        return out;
    }

    private RewriteCache cache() {
        Object c = cache;
        if (c == null) {
            synchronized (this) {
                c = cache;
                if (c == null) {
                    RewriteCache opened = CacheDirectory.open(options);
                    c = opened == null ? NO_CACHE : opened;
                    cache = c;
                }
            }
        }
        return c == NO_CACHE ? null : (RewriteCache) c;
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
