package zc.agent.rt;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.Pipe;
import java.util.ArrayList;
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
        // a Runnable class, not a method reference: linking one defines a class, which would pin this (possibly
        // virtual) thread, the very thing this class is here to prevent
        Thread t = new Thread(new Runnable() {
            @Override
            public void run() {
                initialise();
            }
        }, "zc-agent-init");
        t.setDaemon(true);
        t.start();
    }

    /**
     * The dispatcher's classes with a static initialiser (DispatchPathTest keeps this list complete), and the
     * socket sink's classes. RecentChange's handles only when the option is on: they are lazy for that reason.
     * Every family's holder of JDK handles is here, also those of families the application may never use (issue
     * 15): which it uses is not known when the first copy is rewritten, and a family first met later (the first
     * java.net.Socket after start-up) would otherwise be initialised on a copy's thread, with the other virtual
     * threads that meet it meanwhile pinned while they wait. Their LambdaForm classes are spun here too, on this
     * thread, rather than on a virtual thread's first call.
     */
    static List<Class<?>> classes() {
        List<Class<?>> all = new ArrayList<>(List.of(JdkAccess.class, ZcCopy.class, ZcCallee.class, Sinks.class,
                Sources.class, Channels.class, SocketSinks.class, SocketSink.class, ChannelSink.class, PeerReset.class,
                BufferedFlush.class, MappedWindow.class, FileInputStreamSources.class, BoundedSources.class,
                LimitedSources.class, NioSocketSource.class, ReceiveBuffers.class, JdkHttpSink.class));
        all.addAll(JdkAccess.holders());
        all.addAll(JdkHttpSink.handlesClasses());
        all.add(NioSocketSource.handlesClass());
        // The JDK's park, which zc's socket sink calls as NioSocketImpl.implWrite does: its class initialisation on
        // the first park pinned a virtual thread ("VM call to java.util.concurrent.locks.LockSupport.<clinit> on
        // stack", JDK 25) where nothing had parked before
        all.add(java.util.concurrent.locks.LockSupport.class);
        // zc's own locks are ReentrantLocks (Channels.LOCK): the first contended lock() in the JVM initialises AQS's
        // queue node, and virtual threads contending meanwhile pinned waiting for it (jdk.VirtualThreadPinned
        // "Waited for initialization of java.util.concurrent.locks.AbstractQueuedSynchronizer$ExclusiveNode by
        // another thread" at Channels.channel, VirtualThreadsIT on JDK 25)
        try {
            all.add(Class.forName("java.util.concurrent.locks.AbstractQueuedSynchronizer$ExclusiveNode", false, null));
        } catch (ClassNotFoundException otherQueue) {
            // an AQS without that node class has nothing of it to initialise ahead
        }
        if (RecentChange.windowMillis > 0) {
            all.add(RecentChange.ctimeClass());
        }
        return all;
    }

    private static void initialise() {
        for (Class<?> c : classes()) {
            try {
                Class.forName(c.getName(), true, c.getClassLoader()); // nested private classes too
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
        warmTransferTo();
    }

    /**
     * The JDK's sendfile path run once, one byte of the JDK's own {@code release} file into a pipe: its first run
     * links a pattern switch in FileChannelImpl.transferToDirectInternal (JDK 25), and virtual threads making their
     * first sendfile together pinned waiting for the bootstrap's class initialisation (jdk.VirtualThreadPinned
     * "Waited for initialization of java.lang.runtime.SwitchBootstraps by another thread").
     */
    private static void warmTransferTo() {
        java.nio.file.Path release = java.nio.file.Path.of(System.getProperty("java.home"), "release");
        try (FileChannel file = FileChannel.open(release)) {
            Pipe pipe = Pipe.open();
            try (Pipe.SinkChannel sink = pipe.sink(); Pipe.SourceChannel source = pipe.source()) {
                if (file.transferTo(0, 1, sink) == 1) {
                    source.read(ByteBuffer.allocate(1));
                }
            }
        } catch (IOException | RuntimeException e) {
            // no release file or no pipe: the first copy links it instead, as without zc's warm-up
        }
    }
}
