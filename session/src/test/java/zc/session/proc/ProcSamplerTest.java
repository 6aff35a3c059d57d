package zc.session.proc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import zc.proc.Counters;
import zc.proc.TaskStatus;

/**
 * /proc captured twice from a JDK 17 process (pid 3100): before and after its thread "worker" (tid 3120, 302
 * voluntary switches from 300 one-millisecond sleeps) exited.
 */
class ProcSamplerTest {
    private static final Path BEFORE = Path.of("src/test/resources/proc/before-worker-exit");
    private static final Path AFTER = Path.of("src/test/resources/proc/after-worker-exit");

    @Test
    void keepsTheCountsOfAThreadThatExitedBetweenSamples() throws Exception {
        ProcSampler sampler = new ProcSampler(3100);
        Counters before = sampler.sample(BEFORE);
        Counters after = sampler.sample(AFTER);
        assertEquals(20, sampler.threadsSeen());
        long aliveAfter = sum(AFTER, true);
        assertEquals(aliveAfter + 302, after.voluntaryCtxSwitches(), "the gone worker's 302 switches still count");
        assertTrue(after.voluntaryCtxSwitches() >= before.voluntaryCtxSwitches());

        Counters fresh = new ProcSampler(3100).sample(AFTER);
        assertEquals(aliveAfter, fresh.voluntaryCtxSwitches(), "a sampler that never saw the worker misses it");
    }

    @Test
    void readsProcessWideCountersAndSplitsCpuByTicks() throws Exception {
        Counters c = new ProcSampler(3100).sample(BEFORE);
        String io = Files.readString(BEFORE.resolve("3100/io"));
        assertTrue(io.contains("syscw: " + c.syscw()));
        assertTrue(io.contains("rchar: " + c.rchar()));
        long runNs = 0;
        try (Stream<Path> tasks = Files.list(BEFORE.resolve("3100/task"))) {
            for (Path t : tasks.toList()) {
                runNs += Long.parseLong(Files.readString(t.resolve("schedstat")).split(" ")[0]);
            }
        }
        assertEquals(runNs, c.cpuNs(), "nanoseconds from schedstat, not 10 ms ticks");
        assertTrue(c.cpuUserNs() > 0 && c.cpuSysNs() > 0);
    }

    @Test
    void aProcessThatIsGoneIsReportedAsSuch() {
        assertThrows(NoSuchFileException.class, () -> new ProcSampler(999_999).sample(BEFORE));
    }

    private static long sum(Path root, boolean voluntary) throws Exception {
        long s = 0;
        try (Stream<Path> tasks = Files.list(root.resolve("3100/task"))) {
            for (Path t : tasks.toList()) {
                TaskStatus st = TaskStatus.read(t.resolve("status"));
                s += voluntary ? st.voluntaryCtxSwitches() : st.nonvoluntaryCtxSwitches();
            }
        }
        return s;
    }
}
