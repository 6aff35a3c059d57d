package zc.agent.jfr;

import java.util.concurrent.atomic.AtomicBoolean;
import zc.agent.stats.CallSite;
import zc.agent.stats.Stats;

/** Fills and commits a {@link CopyEvent} for one dispatcher call, when a recording wants it. */
public final class CopyEvents {
    private static final AtomicBoolean PREPARED = new AtomicBoolean();
    /** Set once CopyEvent is initialised: until then calls record no event rather than wait for it. */
    private static volatile boolean ready;

    private CopyEvents() {
    }

    /**
     * Initialises the event class on a thread of zc's own, once the first call site is rewritten: on JDK 17 that
     * registers it with JFR, about 100 ms of CPU that the first copy would otherwise wait for.
     */
    public static void prepareSoon() {
        if (PREPARED.compareAndSet(false, true)) {
            Thread t = new Thread(() -> {
                try {
                    new CopyEvent();
                    ready = true;
                } catch (Throwable e) {
                    Stats.error("preparing the JFR event zc.Copy", e);
                }
            }, "zc-agent-jfr");
            t.setDaemon(true);
            t.start();
        }
    }

    /**
     * Opens one dispatcher call: counts it among the calls running (the exit hook writes the statistics again when
     * they end), and returns its event, or null while the class is still being initialised on zc's thread: waiting
     * for another thread's class initialisation would pin a virtual thread to its carrier (seen as
     * jdk.VirtualThreadPinned, "Waited for initialization of zc.agent.jfr.CopyEvent by another thread").
     */
    public static CopyEvent begin() {
        Stats.callStarted();
        if (!ready) {
            return null;
        }
        CopyEvent e = new CopyEvent();
        e.begin();
        return e;
    }

    public static void commit(CopyEvent e, int siteId, String path, long bytes, String declined) {
        try {
            commitEvent(e, siteId, path, bytes, declined);
        } finally {
            Stats.callEnded();
        }
    }

    private static void commitEvent(CopyEvent e, int siteId, String path, long bytes, String declined) {
        if (e == null) {
            return;
        }
        e.end();
        if (e.shouldCommit()) {
            CallSite site = Stats.site(siteId);
            e.className = site.className();
            e.method = site.method();
            e.line = site.line();
            e.shape = site.shape();
            e.path = path;
            e.bytes = bytes;
            e.declined = declined;
            e.commit();
        }
    }
}
