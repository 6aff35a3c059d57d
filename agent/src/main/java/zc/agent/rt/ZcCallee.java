package zc.agent.rt;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import zc.agent.jfr.CopyEvent;
import zc.agent.jfr.CopyEvents;
import zc.agent.stats.CallSite;
import zc.agent.stats.SiteCounters;
import zc.agent.stats.Stats;

/**
 * What the JDK's own {@code ChannelInputStream.transferTo} runs first once zc hooked it ({@code zc.agent.jdk}):
 * the same rules as a rewritten call ({@link Plan}), then the JDK's method carries on from where zc left the
 * channel. Returns the bytes zc moved (0: the JDK's method does everything).
 */
public final class ZcCallee {
    /** The hook is in place; the site is registered on the first call, so an application that never makes one
     * shows no extra site. */
    private static volatile boolean enabled;
    private static volatile int site = -1;
    /**
     * Set while zc itself calls an original copy helper (ZcHelpers): that call was already counted at the
     * application's call site and went zero-copy there where it could; the callee leaves it alone.
     */
    static final ThreadLocal<boolean[]> IN_ZC = new ThreadLocal<>() {
        @Override
        protected boolean[] initialValue() {
            return new boolean[1];
        }
    };

    private ZcCallee() {
    }

    /** Called once the hook is in place. */
    public static void enable() {
        enabled = true;
    }

    private static int site() {
        int id = site;
        if (id < 0) {
            synchronized (ZcCallee.class) {
                if (site < 0) {
                    site = Stats.register(new CallSite(ChannelInputStreamSources.CLASS,
                            "transferTo(Ljava/io/OutputStream;)J", -1,
                            "in.transferTo(out) inside the JDK (hooked at the callee)", CallSite.Status.REWRITTEN, null));
                }
                id = site;
            }
        }
        return id;
    }

    public static long transferTo(InputStream in, OutputStream out) throws IOException {
        if (!enabled || out == null || IN_ZC.get()[0]) {
            return 0;
        }
        DispatcherInit.beforeCopy();
        int id = site();
        CopyEvent event = CopyEvents.begin();
        SiteCounters counters = Stats.counters(id);
        counters.call();
        String declined = alreadyZeroCopy(out);
        Plan plan = declined != null ? Plan.decline(declined) : Plan.safely(in, out, null);
        long sent = 0;
        try {
            if (plan.declined != null) {
                counters.fallback(plan.declined);
                return 0;
            }
            // the chunk the JDK's InputStream.transferTo would have read: 16 KiB from JDK 21 (8 KiB before)
            int chunk = Runtime.version().feature() >= 21 ? 16384 : 8192;
            sent = ZcCopy.move(plan, new byte[chunk], chunk, counters);
            return sent;
        } finally {
            CopyEvents.commit(event, id, sent > 0 ? ZcCopy.via(plan) : "original", sent, plan.declined);
        }
    }

    /** The JDK's ChannelInputStream.transferTo already goes zero-copy into its own channel streams. */
    private static String alreadyZeroCopy(OutputStream out) {
        String name = out.getClass().getName();
        return name.equals("sun.nio.ch.SocketOutputStream") || name.equals("sun.nio.ch.ChannelOutputStream")
                ? "already zero-copy (the JDK's ChannelInputStream.transferTo into a channel stream)" : null;
    }
}
