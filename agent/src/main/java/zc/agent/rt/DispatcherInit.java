package zc.agent.rt;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.Pipe;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import zc.agent.stats.Stats;

/**
 * Initialises the dispatcher's classes on a thread of zc's own before a virtual thread runs them. Virtual threads
 * that wait for another thread's class initialisation pin their carrier (JDK 21-25; JEP 491 left it so): seen as
 * jdk.VirtualThreadPinned "Waited for initialization of zc.agent.rt.PeerReset by another thread" when 1,000 slow
 * clients of a virtual-thread server went away at once and their sends all met their first error together. The
 * classes with the slow initialisation (method handles on JDK internals) are here.
 *
 * <p>It starts at the first copy made on a virtual thread ({@link #beforeCopy}), which waits for it on a latch, as do
 * the virtual threads that arrive meanwhile: a latch's wait unmounts a virtual thread instead of pinning it. Copies on
 * platform threads neither start nor wait for it: they initialise what they use as they go, as on JDK 17, so that an
 * application without virtual threads does not pay for every family at start-up (issue 15: ~25 ms of CPU on the
 * small httpserver app, JDK 25, when this started at the first rewrite).
 */
public final class DispatcherInit {
    /** 0 until the set-up starts. An AtomicInteger, not an AtomicBoolean: that one's VarHandle costs ~0.6 ms in premain. */
    private static final AtomicInteger STARTED = new AtomicInteger();
    private static final CountDownLatch DONE = new CountDownLatch(1);
    /** A virtual thread waits at most this long, then goes on (and may pin) rather than hang on a stuck set-up. */
    private static final long WAIT_SECONDS = 10;
    /** java.lang.BaseVirtualThread (JDK 21+: the superclass of every virtual thread), or null before JDK 21. */
    private static final Class<?> VIRTUAL = virtualThreadClass();
    private static volatile boolean done;

    private DispatcherInit() {
    }

    /**
     * In premain, on JDK 21+: initialises this class and what waiting on its latch needs (AQS's shared node, the
     * JDK's park), on the main thread, before any virtual thread can reach {@link #beforeCopy}.
     */
    public static void prepare() {
        if (VIRTUAL != null) {
            initialise(List.of(java.util.concurrent.locks.LockSupport.class), "java.util.concurrent.locks"
                    + ".AbstractQueuedSynchronizer$SharedNode");
        }
    }

    /**
     * The dispatcher's first step: on a virtual thread, until the set-up is done, starts it (once) and waits for it.
     * A volatile read and nothing else once it is done, or on a platform thread a class check.
     */
    public static void beforeCopy() {
        if (done || VIRTUAL == null || !VIRTUAL.isInstance(Thread.currentThread())) {
            return;
        }
        start();
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    DONE.await(WAIT_SECONDS, java.util.concurrent.TimeUnit.SECONDS);
                    return;
                } catch (InterruptedException e) {
                    interrupted = true; // the copy's own blocking calls see it, as they would without zc
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Whether the set-up has run (or given up): what a virtual thread's copy waits for. */
    static boolean done() {
        return done;
    }

    private static void start() {
        if (!STARTED.compareAndSet(0, 1)) {
            return;
        }
        // a Runnable class, not a method reference: linking one defines a class, which would pin this virtual thread,
        // the very thing this class is here to prevent
        Thread t = new Thread(new Runnable() {
            @Override
            public void run() {
                try {
                    initialise();
                } finally {
                    done = true;
                    DONE.countDown();
                }
            }
        }, "zc-agent-init");
        t.setDaemon(true);
        t.start();
    }

    private static Class<?> virtualThreadClass() {
        try {
            return Class.forName("java.lang.BaseVirtualThread", false, null);
        } catch (ClassNotFoundException | LinkageError beforeJdk21) {
            return null;
        }
    }

    /**
     * The dispatcher's classes with a static initialiser (DispatchPathTest keeps this list complete), and the
     * socket sink's classes. RecentChange's handles only when the option is on: they are lazy for that reason.
     * Every family's holder of JDK handles is here, also those of families the application may never use (issue
     * 15): which it uses is not known at the first virtual thread's copy, and a family first met later (the first
     * java.net.Socket after start-up) would otherwise be initialised on a copy's thread, with the other virtual
     * threads that meet it meanwhile pinned while they wait. Their LambdaForm classes are spun here too, on this
     * thread, rather than on a virtual thread's first call.
     */
    static List<Class<?>> classes() {
        List<Class<?>> all = new ArrayList<>(List.of(JdkAccess.class, ZcCopy.class, ZcCallee.class, Sinks.class,
                Sources.class, Channels.class, SocketSinks.class, SocketSink.class, ChannelSink.class, PeerReset.class,
                BufferedFlush.class, MappedWindow.class, FileInputStreamSources.class, BoundedSources.class,
                LimitedSources.class, NioSocketSource.class, ReceiveBuffers.class, JdkHttpSink.class));
        // the classes outside this package that every copy runs: counters, call sites, events, the loop's shape and
        // the helpers' enum with their switch maps. A rewrite initialised most of them on the loading thread; a class
        // served by the rewrite cache is not rewritten here, so nothing else initialises them before the first copy
        all.addAll(List.of(zc.agent.stats.Stats.class, zc.agent.stats.SiteCounters.class,
                zc.agent.stats.SiteCounters.Path.class, zc.agent.stats.CallSite.Status.class,
                zc.agent.jfr.CopyEvents.class, zc.agent.match.LoopShape.Cond.class, zc.agent.match.Helper.class));
        for (String switchMap : new String[] {"zc.agent.match.LoopShape$1", "zc.agent.match.Helper$1"}) {
            try {
                all.add(Class.forName(switchMap, false, DispatcherInit.class.getClassLoader()));
            } catch (ClassNotFoundException otherCompiler) {
                // a compiler that names its switch maps otherwise: DispatchPathTest lists what this one made
            }
        }
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
        if (!initialise(classes())) {
            return;
        }
        // The first stack trace materialised in the JVM initialises java.lang.StackTraceElement$HashedModules: a send
        // error turned into a SocketException (JdkAccess.asSocketException copies the stack trace, as
        // NioSocketImpl.asSocketException does) on many virtual threads at once pinned them waiting for it
        // (jdk.VirtualThreadPinned "Waited for initialization of java.lang.StackTraceElement$HashedModules").
        new java.io.IOException().getStackTrace();
        warmTransferTo();
    }

    /** Initialises the classes and the named ones; false (reported) where one fails. */
    private static boolean initialise(List<Class<?>> classes, String... named) {
        String name = null;
        try {
            for (Class<?> c : classes) {
                name = c.getName();
                Class.forName(name, true, c.getClassLoader()); // nested private classes too
            }
            for (String n : named) {
                name = n;
                Class.forName(n, true, null);
            }
            return true;
        } catch (Throwable e) {
            if (!(e instanceof ClassNotFoundException)) { // a JDK without that class: nothing of it to initialise
                Stats.error("initialising " + name, e);
            }
            return e instanceof ClassNotFoundException;
        }
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
