package zc.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import zc.corpus.Loops;
import zc.testkit.Forked;
import zc.testkit.Jdk;

/**
 * The corpus on virtual threads (JDK 21+): every scenario runs whole on a virtual thread, off vs rewrite, with
 * identical results; the sends go by sendfile and the receives through zc's buffer (not declined); and a JFR
 * recording with {@code jdk.VirtualThreadPinned} at a 0 ms threshold records no pinned virtual thread.
 */
class VirtualThreadsIT {
    private static final String CLASSES = System.getProperty("zc.corpusClasses", "target/test-classes");
    private static final int B = Loops.B;
    private static final int MIB = 1 << 20;
    private static final int BIG = 64 << 20;
    /**
     * A pin inside the JDK's own park code, which every blocking socket write of a virtual thread reaches through
     * NioSocketImpl.park, zc's or the JDK's: every frame inside NioSocketImpl.park is the JDK's. Seen with and
     * without zc, on JDK 24+: the first parks wait for another thread to initialise the classes the poller uses
     * ("Waited for initialization of sun.nio.ch.Poller", "VM call to java.util.concurrent.locks.LockSupport.<clinit>
     * on stack": JEP 491 left class initialisation pinning), or meet a contended monitor inside such a critical
     * section ("Freeze or preempt failed (2)"). JDK 21's events name no reason and are classified the same way.
     */
    static boolean pinnedInsideTheJdksPoller(String event) {
        if (event.contains("pinnedReason = \"Freeze or preempt failed (2)\"")) {
            // freeze_pinned_cs (hotspot continuationFreezeThaw.cpp): the virtual thread was inside a critical section
            // (Continuation.pin), which only the JDK's own code enters (JFR's event writer, for one): zc never does.
            // Seen at a contended monitor inside JFR's string pool, a WeakHashMap's ReferenceQueue, a hidden class
            // definition, each reached from zc's frames.
            return true;
        }
        int stack = event.indexOf("stackTrace = [");
        if (stack < 0) {
            return false;
        }
        for (String frame : event.substring(stack).lines().skip(1).map(String::trim).toList()) {
            if (frame.startsWith("sun.nio.ch.NioSocketImpl.park(")) {
                return true;
            }
            if (frame.startsWith("zc.") || frame.startsWith("]")) {
                return false;
            }
        }
        return false;
    }

    /**
     * JFR's own exception events off: JDK 25's default settings record exceptions (jdk.JavaExceptionThrow, rate
     * limited), and the recorder then writes each exception's message into its string pool under a monitor
     * (jdk.jfr.internal.StringPool.storeString), which pins the virtual thread constructing it, zc's or the JDK's
     * own socket exceptions alike: the instrument's pin, not the code's.
     */
    static final String NO_EXCEPTION_EVENTS = ",jdk.JavaExceptionThrow#enabled=false,jdk.JavaErrorThrow#enabled=false";

    @TempDir
    static Path work;

    @BeforeAll
    static void keystore() throws Exception {
        CorpusRuns.keystore(work);
    }

    static Stream<Jdk> jdks() {
        return Jdk.withJdk21().stream().filter(j -> j.major() >= 21);
    }

    /** Sends: scenario -> whether it must go zero-copy; receives (filesReceive) are all taken. */
    static Map<String, Boolean> scenarios() {
        Map<String, Boolean> s = new LinkedHashMap<>();
        for (String shape : List.of("whileNotEof", "longTotal", "finalN", "bufferReadAfter", "boundedLong",
                "flaggedField")) {
            for (String sink : List.of("socket", "sharedSocket", "bufferedSocket", "channel", "file")) {
                for (int size : List.of(0, B + 1, MIB + 3)) {
                    s.put(shape + ":file:" + sink + ":" + size, size > 0);
                }
            }
        }
        s.put("longTotal:file:socket:" + BIG, true);
        s.put("longTotal:file:sharedSocket:" + BIG, true);
        s.put("readRange:file:bufferedSocket:" + BIG, true);
        s.put("longTotal:file:tls:" + (MIB + 3), false);
        s.put("transferTo:file:socket:" + (MIB + 3), true);
        for (String c : List.of("socket:new:" + MIB, "socket:new:" + BIG, "channel:new:" + MIB,
                "accepted:new:" + MIB, "socket:reset:" + MIB, "timeoutSocket:new:" + MIB, "socket:stall:" + MIB)) {
            // not the receives of an interrupted thread: on a virtual thread those close the socket at the first
            // read that must wait, which depends on timing with or without zc (the sends' case, a 64 MiB file
            // that always fills the socket, is in the fault programs below, and so is a receive interrupted while it
            // waits for data, receiveInterrupted)
            s.put("filesReceive:" + c, true);
        }
        return s;
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void sendsAndReceivesOnVirtualThreadsAsWithoutZc(Jdk jdk) throws Exception {
        Map<String, Boolean> scenarios = scenarios();
        Path stats = work.resolve("stats-vt-" + jdk.major());
        Path jfr = work.resolve("vt-" + jdk.major() + ".jfr");
        Map<String, String[]> off = run(jdk, "mode=off", List.of(), scenarios);
        Map<String, String[]> rewrite = run(jdk, "mode=rewrite,minBytes=0,out=" + stats, List.of(
                "-XX:StartFlightRecording:filename=" + jfr + ",jdk.VirtualThreadPinned#threshold=0ms"
                        + NO_EXCEPTION_EVENTS), scenarios);
        CorpusRuns.assertSameObservables(scenarios.keySet(), off, rewrite, -1);
        for (String key : scenarios.keySet()) {
            if (key.endsWith(":" + BIG) && !key.startsWith("files")) {
                // a virtual thread's socket is non-blocking: one sendfile per socket-buffer-full, not one per file
                assertTrue(Long.parseLong(rewrite.get(key)[6]) * 20 <= Long.parseLong(off.get(key)[6]),
                        key + ": write syscalls " + off.get(key)[6] + " -> " + rewrite.get(key)[6]);
            }
        }

        JsonNode doc = CorpusRuns.stats(stats);
        assertEquals(0, doc.get("errors").size(), doc.get("errors").toString());
        long loop = 0;
        long direct = 0;
        StringBuilder bySite = new StringBuilder();
        for (JsonNode site : doc.get("sites")) {
            bySite.append('\n').append(site.get("method").asText()).append(' ').append(site.get("bytes"))
                    .append(' ').append(site.get("fallbacks"));
            loop += site.get("bytes").get("loop").asLong();
            direct += site.get("bytes").get("direct").asLong();
            site.get("fallbacks").fieldNames().forEachRemaining(reason ->
                    assertFalse(reason.contains("virtual"), site.get("method") + " declined: " + reason));
        }
        for (String shape : List.of("whileNotEof", "longTotal", "finalN", "bufferReadAfter", "boundedLong",
                "send", "readRange", "transferTo")) {
            assertTrue(bySite.indexOf("\n" + shape + "(") >= 0 && doc.findValues("sites").get(0).findParents("method")
                    .stream().filter(x -> x.get("method").asText().startsWith(shape + "("))
                    .allMatch(x -> x.get("bytes").get("sendfile").asLong() > 0), shape + " by sendfile" + bySite);
        }
        // every byte but the TLS scenario's went zero-copy (sends) or through zc's buffer (receives)
        assertEquals(MIB + 3, loop, "bytes through the original loop" + bySite);
        assertTrue(direct >= BIG, "receives through zc's buffer: " + direct);

        Forked.Result pinned = Forked.run(Duration.ofMinutes(1), List.of(jdk.home().resolve("bin/jfr").toString(),
                "print", "--stack-depth", "64", "--events", "jdk.VirtualThreadPinned", jfr.toString()));
        assertEquals(0, pinned.exitCode(), pinned.stderr());
        // the whole stack: jfr print shows 5 frames by default, all the JDK's park (zc's, ~10 deep, never showed).
        // A pin in the code zc runs unchanged (its innermost zc frames lead to ZcCopy.original: the TLS scenario's
        // loop, whose handshake waits for a monitor of the JDK's TLS classes) is the application's, not zc's.
        for (String event : pinned.stdout().split("jdk.VirtualThreadPinned \\{")) {
            String zcFrames = event.lines().map(String::trim).dropWhile(l -> !l.startsWith("zc.agent."))
                    .takeWhile(l -> l.startsWith("zc.agent.")).collect(java.util.stream.Collectors.joining("\n"));
            assertTrue(zcFrames.isEmpty() || zcFrames.contains("zc.agent.rt.ZcCopy.original(")
                            || pinnedInsideTheJdksPoller(event),
                    "pinned in zc's code:" + event);
        }
    }

    /**
     * 1,000 rate-limited clients (each reads at most 4 KiB every 50 ms through a 16 KiB receive buffer), each served
     * by a virtual thread of the server that fills its socket, parks, and is woken again all the time, with 4
     * carrier threads: fast clients are still served, every byte right (slow and fast), with and without zc, and the
     * rewritten server records no pinned virtual thread in zc's code. A send that blocked its carrier would leave
     * none for the fast clients (the download would time out). How fast they are served is a benchmark
     * ({@code zc bench virtual-threads}, docs/BENCHMARKS.md), not asserted here.
     */
    @ParameterizedTest
    @MethodSource("jdks")
    void rateLimitedClientsNeverHoldACarrier(Jdk jdk) throws Exception {
        Path file = work.resolve("vt-served.bin");
        byte[] content = new byte[(4 << 20) + 7];
        new java.util.Random(21).nextBytes(content);
        java.nio.file.Files.write(file, content);
        Map<String, Long> millis = new LinkedHashMap<>();
        Map<String, Long> pins = new LinkedHashMap<>();
        for (String mode : List.of("off", "rewrite")) {
            Path stats = work.resolve("stats-slow-" + mode + "-" + jdk.major());
            Path jfr = work.resolve("slow-" + mode + "-" + jdk.major() + ".jfr");
            try (Forked server = Forked.start(List.of(jdk.java().toString(),
                    "-Djdk.virtualThreadScheduler.parallelism=4", "-Djdk.virtualThreadScheduler.maxPoolSize=4",
                    "-XX:StartFlightRecording:filename=" + jfr + ",jdk.VirtualThreadPinned#threshold=0ms"
                            + NO_EXCEPTION_EVENTS,
                    "-javaagent:" + CorpusRuns.AGENT + "=mode=" + mode + ",out=" + stats, "-cp", CLASSES,
                    "zc.corpus.VirtualServer", file.toString()))) {
                int port = Integer.parseInt(server.awaitLine("PORT ", Duration.ofSeconds(30)).trim());
                try (RateLimitedReaders slow = new RateLimitedReaders(port, content, 1000)) {
                    long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
                    while (slow.receiving() < 1000 && slow.failure() == null && System.nanoTime() < deadline) {
                        Thread.sleep(100);
                    }
                    assertEquals(1000, slow.receiving(), mode + ": slow clients served; " + slow.failure());
                    long start = System.nanoTime();
                    for (int i = 0; i < 20; i++) {
                        try (java.net.Socket fast = new java.net.Socket("127.0.0.1", port)) {
                            fast.setSoTimeout(30_000);
                            assertTrue(java.util.Arrays.equals(content, fast.getInputStream().readAllBytes()),
                                    mode + ": fast download " + i);
                        }
                    }
                    millis.put(mode, (System.nanoTime() - start) / 1_000_000);
                    long before = slow.bytes();
                    Thread.sleep(500);
                    assertTrue(slow.bytes() > before, mode + ": slow clients still served");
                    assertEquals(null, slow.failure(), mode);
                }
                server.process().destroy(); // SIGTERM: the agent writes its statistics at exit
                assertTrue(server.process().waitFor(30, java.util.concurrent.TimeUnit.SECONDS));
            }
            Forked.Result pinned = Forked.run(Duration.ofMinutes(1), List.of(
                    jdk.home().resolve("bin/jfr").toString(), "print", "--stack-depth", "64", "--events",
                    "jdk.VirtualThreadPinned", jfr.toString())); // the default 5 frames are all the JDK's park code
            assertEquals(0, pinned.exitCode(), pinned.stderr());
            List<String> events = List.of(pinned.stdout().split("jdk.VirtualThreadPinned \\{"));
            pins.put(mode, events.stream().filter(VirtualThreadsIT::pinnedInsideTheJdksPoller).count());
            if (mode.equals("rewrite")) {
                JsonNode site = CorpusRuns.stats(stats).get("sites").findParents("method").stream()
                        .filter(x -> x.get("method").asText().startsWith("longTotal(")).findFirst().orElseThrow();
                assertTrue(site.get("bytes").get("sendfile").asLong() >= 20L * content.length, site.toString());
                for (String event : events) {
                    // Many virtual threads parking at once meet the JDK's poller being initialised by another
                    // thread, which pins (JEP 491 left class initialisation pinning), whoever calls
                    // NioSocketImpl.park: the JDK's own writes do the same without zc (counted for off too)
                    assertFalse(event.contains("zc.agent.") && !pinnedInsideTheJdksPoller(event),
                            "pinned in zc's code:" + event);
                }
            }
        }
        System.out.println("VirtualThreadsIT: 20 fast downloads of 4 MiB beside 1,000 rate-limited clients, "
                + "4 carriers, " + jdk + ": " + millis + " ms; pins inside the JDK's poller: " + pins);
    }

    /**
     * Slow downloads from {@code VirtualServer}: each connection reads at most 4 KiB every 50 ms through a 16 KiB
     * receive buffer, all driven by one thread (non-blocking reads); every byte is checked against the file.
     */
    private static final class RateLimitedReaders implements AutoCloseable {
        private final byte[] content;
        private final List<java.nio.channels.SocketChannel> channels = new java.util.ArrayList<>();
        private final int[] offsets;
        private final java.util.concurrent.atomic.AtomicInteger receiving = new java.util.concurrent.atomic.AtomicInteger();
        private final java.util.concurrent.atomic.AtomicLong bytes = new java.util.concurrent.atomic.AtomicLong();
        private final Thread driver;
        private volatile boolean stop;
        private volatile String failure;

        RateLimitedReaders(int port, byte[] content, int clients) throws java.io.IOException {
            this.content = content;
            this.offsets = new int[clients];
            for (int i = 0; i < clients; i++) {
                java.nio.channels.SocketChannel ch = java.nio.channels.SocketChannel.open();
                channels.add(ch);
                ch.setOption(java.net.StandardSocketOptions.SO_RCVBUF, 16 << 10);
                ch.connect(new java.net.InetSocketAddress("127.0.0.1", port));
                ch.configureBlocking(false);
            }
            driver = new Thread(this::drive);
            driver.setDaemon(true);
            driver.start();
        }

        int receiving() {
            return receiving.get();
        }

        long bytes() {
            return bytes.get();
        }

        String failure() {
            return failure;
        }

        private void drive() {
            java.nio.ByteBuffer buf = java.nio.ByteBuffer.allocate(4 << 10);
            try {
                while (!stop) {
                    for (int i = 0; i < channels.size(); i++) {
                        buf.clear();
                        int n = offsets[i] < 0 ? 0 : channels.get(i).read(buf);
                        if (n < 0 && offsets[i] != content.length) {
                            throw new java.io.IOException("slow download ended at " + offsets[i]);
                        } else if (n < 0) {
                            offsets[i] = -1; // done, all of it
                        } else if (n > 0) {
                            int at = offsets[i];
                            if (java.util.Arrays.mismatch(buf.array(), 0, n, content, at, Math.min(at + n,
                                    content.length)) >= 0) {
                                throw new java.io.IOException("slow download differs near byte " + at);
                            }
                            offsets[i] += n;
                            bytes.addAndGet(n);
                            if (at == 0) {
                                receiving.incrementAndGet();
                            }
                        }
                    }
                    Thread.sleep(50);
                }
            } catch (Exception e) {
                failure = e.toString();
            }
        }

        @Override
        public void close() throws Exception {
            stop = true;
            driver.join(10_000);
            for (java.nio.channels.SocketChannel ch : channels) {
                ch.close();
            }
        }
    }

    /** The fault programs of FaultsIT, each whole on a virtual thread: the same outcome off and rewritten. */
    @ParameterizedTest
    @MethodSource("jdks")
    void faultsOnVirtualThreadsEndAsWithoutZc(Jdk jdk) throws Exception {
        for (String fault : List.of("peerCloses", "concurrentClose", "concurrentCloseNonBlocking", "truncated",
                "interrupted", "soTimeout", "receiveConcurrentClose", "receiveConcurrentCloseTimed",
                "receiveInterrupted")) {
            String off = fault(jdk, "mode=off", fault);
            String rewrite = fault(jdk, "mode=rewrite", fault);
            if (fault.equals("truncated") && rewrite.contains("failedLoudly")) {
                // a source cut below what sendfile already sent fails loudly (docs/agent.md, Known differences)
                assertEquals("RESULT|truncated|failedLoudly|atMostFile=true", rewrite);
                continue;
            }
            assertEquals(off, rewrite, fault);
        }
    }

    private static String fault(Jdk jdk, String options, String fault) throws Exception {
        Forked.Result r = Forked.run(Duration.ofMinutes(2), List.of(jdk.java().toString(), "-Dcorpus.virtual=true",
                "-javaagent:" + CorpusRuns.AGENT + "=" + options + ",minBytes=0", "-cp", CLASSES,
                "zc.corpus.FaultMain", work.toString(), fault));
        assertEquals(0, r.exitCode(), r.stdout() + r.stderr());
        assertFalse(r.stderr().contains("zc-agent"), "no agent error: " + r.stderr());
        return r.stdout().lines().filter(l -> l.startsWith("RESULT|")).findFirst()
                .orElseThrow(() -> new AssertionError(r.stdout() + r.stderr()));
    }

    private Map<String, String[]> run(Jdk jdk, String agentOptions, List<String> flags,
                                      Map<String, Boolean> scenarios) throws Exception {
        List<String> jvm = new java.util.ArrayList<>(List.of("-Dcorpus.keystore=" + work.resolve("ks.p12"),
                "-Dcorpus.virtual=true"));
        jvm.addAll(flags);
        return CorpusRuns.run(jdk, agentOptions, jvm, CLASSES, work, scenarios.keySet());
    }
}
