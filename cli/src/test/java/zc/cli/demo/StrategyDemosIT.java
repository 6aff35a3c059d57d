package zc.cli.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import zc.demo.strategy.Strategy;
import zc.proc.Counters;
import zc.testkit.Jdk;

/**
 * Every lesson in forked JVMs (sender and receiver apart), on every installed JDK, sending a 4 MiB file: the
 * bytes arrive intact and each strategy's counters show its signature.
 */
class StrategyDemosIT {
    private static final long SIZE = 4L << 20;
    private static final long CHUNKS = SIZE / (64 * 1024);

    @TempDir
    static Path cache;
    static Path file;

    @BeforeAll
    static void testFile() {
        Progress quiet = new Progress(new PrintWriter(new StringWriter()), false, true);
        file = TestFile.ensure(cache, SIZE, SIZE, quiet);
        TestFile.warm(file, quiet);
    }

    static Stream<Arguments> cases() {
        return Jdk.installed().stream().flatMap(j -> Stream.of(Strategy.values()).map(s -> Arguments.of(j, s)));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void deliversEveryByteAndShowsItsSignature(Jdk jdk, Strategy strategy) {
        DemoRun run = new DemoLauncher(setup(jdk)).run(strategy, 1, file, SIZE);

        assertEquals("ok", run.integrity());
        assertEquals(SIZE, run.sender().bytes());
        assertEquals(SIZE, run.receiver().bytes());
        assertEquals(String.valueOf(jdk.major()),
                run.sender().details().get("jdk").toString().split("[.+-]")[0]);
        Counters c = run.sender().counters();
        assertTrue(c.wallNs() > 0 && c.cpuNs() > 0, c.toString());
        switch (strategy) {
            case READ_WRITE, FILE_READ_WRITE -> {
                assertTrue(c.syscw() >= CHUNKS && c.syscr() >= CHUNKS, "a read and a write per 64 KiB: " + c);
                assertTrue(c.wchar() >= SIZE, c.toString());
            }
            case SENDFILE, SENDFILE_GATHER, FILE_TRANSFER ->
                    assertTrue(c.syscw() < 10, "one transferTo moves it all: " + c);
            case MMAP_WRITE -> {
                assertTrue(c.syscw() < 10, "one write of the whole mapping: " + c);
                assertTrue(c.minorFaults() >= CHUNKS * 3 / 4, "a fault per 64 KiB fault-around block: " + c);
            }
            case SPLICE -> {
                assertTrue(c.syscw() < 10, "splice is not counted as a write: " + c);
                assertTrue(c.wchar() < SIZE / 4, "nor are its bytes: " + c);
            }
        }
        if (strategy.network()) {
            assertTrue(run.receiver().counters().syscr() > 0, "the receiver measured itself too");
        }
        if (strategy == Strategy.READ_WRITE) {
            assertTrue(c.contextSwitches() > 0, "a blocking send loop switches: " + c);
        }
        if (strategy == Strategy.SENDFILE_GATHER) {
            assertEquals("lo", run.sender().details().get("interface"));
            Map<?, ?> features = (Map<?, ?>) run.sender().details().get("features");
            assertTrue(features.get("scatter-gather").toString().startsWith("on"), features.toString());
        }
    }

    private static DemoSetup setup(Jdk jdk) {
        return new DemoSetup(jdk.java(), DemoSetup.JVM_FLAGS, System.getProperty("zc.cliJar"), "127.0.0.1",
                List.of(), List.of(), cache);
    }
}
