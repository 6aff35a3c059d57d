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

    private CopyEvents() {
    }

    /**
     * Initialises the event class on a thread of zc's own, once the first call site is rewritten: on JDK 17 that
     * registers it with JFR, about 100 ms of CPU that the first copy would otherwise wait for.
     */
    public static void prepareSoon() {
        if (recorderRunning() && PREPARED.compareAndSet(false, true)) {
            Thread t = new Thread(() -> {
                try {
                    new CopyEvent();
                } catch (Throwable e) {
                    Stats.error("preparing the JFR event zc.Copy", e);
                }
            }, "zc-agent-jfr");
            t.setDaemon(true);
            t.start();
        }
    }

    /** A begun event, or null while no Flight Recorder runs. */
    public static CopyEvent begin() {
        if (!recorderRunning()) {
            return null;
        }
        CopyEvent e = new CopyEvent();
        e.begin();
        return e;
    }

    public static void commit(CopyEvent e, int siteId, String path, long bytes, String declined) {
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
