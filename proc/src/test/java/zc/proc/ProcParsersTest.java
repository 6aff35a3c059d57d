package zc.proc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Parsers against /proc files captured from a JDK 17 process with 19 threads on Linux 6.18. */
class ProcParsersTest {
    private static final Path JAVA17 = Path.of("src/test/resources/proc/java17");

    @Test
    void parsesIoCounters() throws Exception {
        assertEquals(new ProcIo(748789, 16, 323, 10, 51777536, 32768), ProcIo.read(JAVA17.resolve("io")));
    }

    @Test
    void parsesStatFields() throws Exception {
        ProcStat stat = ProcStat.read(JAVA17.resolve("stat"));
        assertEquals("java", stat.comm());
        assertEquals('S', stat.state());
        assertEquals(13597, stat.minorFaults());
        assertEquals(25, stat.majorFaults());
        assertEquals(85, stat.utimeTicks());
        assertEquals(15, stat.stimeTicks());
        assertEquals(850_000_000L, stat.utimeNs());
        assertEquals(19, stat.threads());
    }

    @Test
    void statCommMayHoldSpacesAndParentheses() {
        ProcStat stat = ProcStat.parse("2080 (a b) c) R 2004 2004 1018 0 -1 4194304 116 0 7 0 3 4 0 0 20 0 1 0 16113 "
                + "3133440 406 18446744073709551615 0 0 0 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0\n");
        assertEquals("a b) c", stat.comm());
        assertEquals(116, stat.minorFaults());
        assertEquals(7, stat.majorFaults());
        assertEquals(3, stat.utimeTicks());
        assertEquals(4, stat.stimeTicks());
    }

    @Test
    void rejectsTextThatIsNotStat() {
        assertThrows(IllegalArgumentException.class, () -> ProcStat.parse("hello"));
        assertThrows(IllegalArgumentException.class, () -> ProcIo.parse("rchar: 1\n"));
    }

    @Test
    void launcherThreadStatusUndercountsTheProcess() throws Exception {
        TaskStatus launcher = TaskStatus.read(JAVA17.resolve("status"));
        assertEquals(8, launcher.voluntaryCtxSwitches());
        assertEquals(3, launcher.nonvoluntaryCtxSwitches());

        long voluntary = 0;
        long nonvoluntary = 0;
        try (Stream<Path> files = Files.list(JAVA17.resolve("task"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".status")).toList()) {
                voluntary += TaskStatus.read(f).voluntaryCtxSwitches();
                nonvoluntary += TaskStatus.read(f).nonvoluntaryCtxSwitches();
            }
        }
        // the 19 threads together switched far more often than the launcher thread
        assertEquals(1146, voluntary);
        assertEquals(324, nonvoluntary);
    }
}
