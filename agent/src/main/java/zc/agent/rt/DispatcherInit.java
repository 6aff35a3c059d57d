package zc.agent.rt;

import java.lang.invoke.MethodHandles;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import zc.agent.stats.Stats;

/**
 * Initialises the dispatcher's classes on a thread of zc's own as soon as a copy is rewritten, before the rewritten
 * code runs. Virtual threads that wait for another thread's class initialisation pin their carrier (JDK 21-25;
 * JEP 491 left it so): seen as jdk.VirtualThreadPinned "Waited for initialization of zc.agent.rt.PeerReset by
 * another thread" when 1,000 slow clients of a virtual-thread server went away at once and their sends all met
 * their first error together. The classes with the slow initialisation (method handles on JDK internals) are here.
 */
public final class DispatcherInit {
    private static final AtomicBoolean STARTED = new AtomicBoolean();

    private DispatcherInit() {
    }

    /** Starts the initialisation once, on JDK 21+ (where threads can be virtual). */
    public static void initialiseSoon() {
        if (Runtime.version().feature() < 21 || !STARTED.compareAndSet(false, true)) {
            return;
        }
        Thread t = new Thread(DispatcherInit::initialise, "zc-agent-init");
        t.setDaemon(true);
        t.start();
    }

    private static void initialise() {
        MethodHandles.Lookup lookup = MethodHandles.lookup();
        for (Class<?> c : List.of(JdkAccess.class, ZcCopy.class, Sinks.class, Sources.class, SocketSinks.class,
                SocketSink.class, ChannelSink.class, PeerReset.class, BufferedFlush.class, MappedWindow.class,
                FileInputStreamSources.class, NioSocketSource.class, ReceiveBuffers.class)) {
            try {
                lookup.ensureInitialized(c);
            } catch (Throwable e) {
                Stats.error("initialising " + c.getName(), e);
                return;
            }
        }
        // The first stack trace materialised in the JVM initialises java.lang.StackTraceElement$HashedModules: a send
        // error turned into a SocketException (JdkAccess.asSocketException copies the stack trace, as
        // NioSocketImpl.asSocketException does) on many virtual threads at once pinned them waiting for it
        // (jdk.VirtualThreadPinned "Waited for initialization of java.lang.StackTraceElement$HashedModules").
        new java.io.IOException().getStackTrace();
    }
}
