package zc.proc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SelfCountersTest {

    @Test
    void nativeUsageIsAvailableOnLinux() {
        assertTrue(Rusage.available(), "getrusage through JNA");
        assertEquals("getrusage(RUSAGE_SELF)", SelfCounters.open().sources().get("voluntaryCtxSwitches"));
    }

    @Test
    void countsContextSwitchesOfAThreadThatExitedMidRun() throws Exception {
        SelfCounters counters = SelfCounters.open();
        Counters before = counters.read();
        Thread worker = new Thread(() -> {
            for (int i = 0; i < 300; i++) {
                sleepOneMilli();
            }
        });
        worker.start();
        worker.join();
        assertTrue(!worker.isAlive());
        Counters cost = counters.read().minus(before);
        // Each sleep blocks once: at least one voluntary switch per sleep, all made by a thread that is gone.
        assertTrue(cost.voluntaryCtxSwitches() >= 300, "voluntary switches: " + cost.voluntaryCtxSwitches());
    }

    @Test
    void countsWriteSyscallsAndCpuBelowTickResolution(@TempDir Path dir) throws IOException {
        SelfCounters counters = SelfCounters.open();
        Counters before = counters.read();
        try (FileOutputStream out = new FileOutputStream(dir.resolve("f").toFile())) {
            byte[] b = new byte[100];
            for (int i = 0; i < 1000; i++) {
                out.write(b);
            }
        }
        Counters cost = counters.read().minus(before);
        assertTrue(cost.syscw() >= 1000, "syscw " + cost.syscw());
        assertTrue(cost.wchar() >= 100_000, "wchar " + cost.wchar());
        assertEquals(100_000, Files.size(dir.resolve("f")));
        // getrusage reports microseconds: a value that is not a multiple of a 10 ms tick shows the finer resolution.
        long cpu = counters.read().cpuNs();
        assertTrue(cpu > 0 && (cpu % 10_000_000L != 0 || counters.read().cpuNs() % 10_000_000L != 0));
    }

    private static void sleepOneMilli() {
        try {
            Thread.sleep(1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
