package zc.session.containers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import zc.proc.Counters;

class ContainerTableTest {
    private static final long GIB = 1L << 30;

    /** A run that moved 1 GiB with {@code cpuMs} of CPU and {@code syscw} write calls. */
    private static ContainerRun run(String container, long size, String variant, int round, long cpuMs, long syscw) {
        return new ContainerRun(container, size, 1, variant, round, GIB, GIB / size,
                new Counters(0, syscw, 0, 0, 0, 0, 16_400, 0, cpuMs * 1_000_000, 0, 1_000_000_000), 0);
    }

    @Test
    void checksTargetsOnPerRoundRatios() {
        List<ContainerRun> runs = new ArrayList<>();
        long big = 64L << 20;
        for (int round = 1; round <= 3; round++) {
            runs.add(run("C", big, "original", round, 1000, 16384));
            runs.add(run("C", big, "zc", round, 500 + round * 10, 600));
            runs.add(run("C", big, "own", round, 400, 600));
            runs.add(run("C", 1L << 20, "original", round, 900 + round * 50, 16384));
            runs.add(run("C", 1L << 20, "zc", round, 1200, 600));
        }
        String md = new ContainerTable(runs).markdown(Map.of("C", "its own sendfile"));

        assertTrue(md.contains("#### C (own path: its own sendfile)"), md);
        assertTrue(md.contains("| 64 MiB | 1 | zc | 520 | 600 | 16400 | 1074 | 0.52x | 1.30x |"), md);
        assertTrue(md.contains("**met**: C 64 MiB x1: zc's CPU/GiB <= 0.6x the original's (0.52x)"), md);
        assertTrue(md.contains("**missed**: C 64 MiB x1: zc's CPU/GiB <= 1.1x the container's own path (1.30x)"), md);
        // 1 MiB: zc 1200 against the original 950, 1000, 1050 (spread (1050 - 950) / 1000 = 10%): 1.20x, missed
        assertTrue(md.contains("**missed**: C 1 MiB x1: zc's CPU/GiB not worse than the original's beyond its "
                + "spread between rounds (1.20x, spread 10%)"), md);
    }

    @Test
    void containerWithoutOwnPathHasNoOwnTarget() {
        List<ContainerRun> runs = new ArrayList<>();
        for (int round = 1; round <= 3; round++) {
            runs.add(run("JDK", 64L << 20, "original", round, 1000, 16384));
            runs.add(run("JDK", 64L << 20, "zc", round, 400, 600));
        }
        Map<String, String> own = new HashMap<>();
        own.put("JDK", null);
        String md = new ContainerTable(runs).markdown(own);

        assertTrue(md.contains("#### JDK (own path: none)"), md);
        assertTrue(md.contains("**met**: JDK 64 MiB x1: zc's CPU/GiB <= 0.6x the original's (0.40x)"), md);
        assertFalse(md.contains("own path ("), md);
        assertEquals(1, md.lines().filter(l -> l.startsWith("- ")).count(), md);
    }
}
