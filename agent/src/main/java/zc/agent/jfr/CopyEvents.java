package zc.agent.jfr;

import java.util.concurrent.atomic.AtomicBoolean;
import zc.agent.stats.CallSite;
import zc.agent.stats.Stats;

/**
 * Fills and commits a {@link CopyEvent} for one dispatcher call, when a recording wants it. JFR is never started by
 * zc: until the JVM's Flight Recorder is initialised (a recording started at launch, by jcmd or over JMX) no event
 * object is made, so an application that records nothing never loads {@code jdk.jfr}'s classes because of zc.
 */
public final class CopyEvents {
    private static final AtomicBoolean PREPARED = new AtomicBoolean();
    private static volatile boolean recorder;
    /** Set once CopyEvent is initialised: until then calls record no event rather than wait for it. */
    private static volatile boolean ready;

    private CopyEvents() {
    }

    /**
     * Initialises the event class on a thread of zc's own once a recorder runs: on JDK 17 that registers it with
     * JFR, about 100 ms of CPU that the first copy would otherwise wait for.
     */
    public static void prepareSoon() {
        if (recorderRunning() && PREPARED.compareAndSet(false, true)) {
            // a Runnable class, not a lambda: this runs where a class is rewritten, which may be a virtual thread
            Thread t = new Thread(new Runnable() {
                @Override
                public void run() {
                    try {
                        new CopyEvent();
                        ready = true;
                    } catch (Throwable e) {
                        Stats.error("preparing the JFR event zc.Copy", e);
                    }
                }
            }, "zc-agent-jfr");
            t.setDaemon(true);
            t.start();
        }
    }

    /**
     * Opens one dispatcher call: counts it among the calls running (the exit hook writes the statistics again when
     * they end), and returns its event, or null while no recorder runs or the class is still being initialised on
     * zc's thread: waiting for another thread's class initialisation would pin a virtual thread to its carrier
     * (seen as jdk.VirtualThreadPinned, "Waited for initialization of zc.agent.jfr.CopyEvent by another thread").
     */
    public static CopyEvent begin() {
        Stats.callStarted();
        if (!ready) {
            prepareSoon(); // a recording may have started since the first rewrite
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

    /** Once initialised, the Flight Recorder stays so for the life of the JVM. */
    private static boolean recorderRunning() {
        if (!recorder) {
            try {
                recorder = jdk.jfr.FlightRecorder.isInitialized();
            } catch (Throwable noJfr) {
                return false; // a run-time image without jdk.jfr
            }
        }
        return recorder;
    }
}
