package zc.session.matrix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import zc.proc.Counters;

class MatrixTableTest {
    private static final long MIB = 1 << 20;

    private static MatrixConfig config(List<Long> sizes, List<Network> networks) {
        return new MatrixConfig(sizes, List.of(1), networks, List.of(Variant.ORIGINAL, Variant.AGENT_SENDFILE,
                Variant.TRANSFER_TO), 3, Path.of("java"), Path.of("a.jar"), Path.of("d.jar"), Path.of("w"), 256 * MIB,
                4096, "16");
    }

    /** A run moving 1 GiB in {@code seconds}, with the given CPU, write syscalls and context switches. */
    private static MatrixRun run(String network, long size, Variant v, int round, double seconds, long cpuMs,
                                 long syscw, long ctx) {
        return new MatrixRun(network, size, 1, v.label(), round, 1L << 30, (1L << 30) / size,
                new Counters(0, syscw, 0, 0, ctx, 0, 0, 0, cpuMs * 1_000_000, 0, (long) (seconds * 1e9)), 0);
    }

    @Test
    void requestsAreAboutTheBytesPerRunInWholeRoundsOfClients() {
        MatrixConfig c = config(List.of(4096L), List.of(Network.LOOPBACK));
        assertEquals(4096, c.requests(4096, 1), "capped at maxRequests");
        assertEquals(256, c.requests(MIB, 1));
        assertEquals(8, c.requests(1L << 30, 8), "at least one request per client");
        assertEquals(264, c.requests(MIB, 24) , "a multiple of the clients");
    }

    @Test
    void targetsMetWhenTheRewriteMatchesTransferToAndBeatsTheOriginal() {
        List<MatrixRun> runs = new ArrayList<>();
        for (int r = 1; r <= 3; r++) {
            runs.add(run("veth-sg-on", 64 * MIB, Variant.ORIGINAL, r, 1.0, 600, 32784, 4000));
            runs.add(run("veth-sg-on", 64 * MIB, Variant.AGENT_SENDFILE, r, 0.7, 400, 33, 500));
            runs.add(run("veth-sg-on", 64 * MIB, Variant.TRANSFER_TO, r, 0.7, 395 + r, 32, 480));
        }
        MatrixTable t = new MatrixTable(config(List.of(64 * MIB), List.of(Network.VETH_SG_ON)), runs, 64 * 1024);
        for (MatrixTable.Target target : t.targets()) {
            assertTrue(target.met(), target.markdown());
        }
        String md = t.tables();
        assertTrue(md.contains("| 64 MiB | **zc-sendfile** | 1,534 (1.43x) | 400 (0.67x, 1.01x tT) | 33.0 (0.0010x, +1 tT)"
                + " | 500 (0.13x) |"), md);
    }

    @Test
    void eachMissedTargetNamesItsCellsAndWhatTransferToReached() {
        List<MatrixRun> runs = new ArrayList<>();
        for (int r = 1; r <= 3; r++) {
            runs.add(run("loopback", MIB, Variant.ORIGINAL, r, 1.0, 600, 33792, 9000));
            runs.add(run("loopback", MIB, Variant.AGENT_SENDFILE, r, 2.0, 700, 2048, 6000));
            runs.add(run("loopback", MIB, Variant.TRANSFER_TO, r, 1.0, 500, 2048, 5000));
        }
        MatrixTable t = new MatrixTable(config(List.of(MIB), List.of(Network.LOOPBACK)), runs, 64 * 1024);
        List<MatrixTable.Target> targets = t.targets();
        MatrixTable.Target cpu = targets.get(0);
        assertFalse(cpu.met());
        assertEquals(List.of("loopback 1 MiB x1 1.40x"), cpu.misses());
        assertTrue(targets.get(1).met(), "same write syscalls as transferTo");
        assertEquals(List.of("loopback 1 MiB x1 0.061x (transferTo 0.061x)"), targets.get(2).misses());
        assertEquals(List.of("loopback 1 MiB x1 0.67x (transferTo 0.56x)"), targets.get(3).misses());
        MatrixTable.Target slower = targets.get(targets.size() - 1);
        assertEquals(List.of("zc-sendfile loopback 1 MiB x1 0.50x [0.50x, 0.50x]"), slower.misses());
        assertTrue(slower.markdown().startsWith("- **missed**: never slower"), slower.markdown());
    }

    @Test
    void sizesPrintAsUsersWriteThem() {
        assertEquals("4 KiB", MatrixTable.size(4096));
        assertEquals("1 GiB", MatrixTable.size(1L << 30));
        assertEquals("1000 B", MatrixTable.size(1000));
    }
}
