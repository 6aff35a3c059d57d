package zc.session.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ComparisonTest {

    @Test
    void spreadIsMedianMinMax() {
        assertEquals(new Spread(3, 1, 10), Spread.of(List.of(10.0, 1.0, 3.0)));
        assertEquals(new Spread(2.5, 1, 10), Spread.of(List.of(10.0, 1.0, 3.0, 2.0)));
    }

    @Test
    void ratioIsTakenWithinPairs() {
        // A drifts upward over the session; within each pair B costs 0.4x
        Comparison c = Comparison.of("CPU per GiB", "ms", List.of(100.0, 200.0, 400.0, 800.0, 1600.0),
                List.of(40.0, 80.0, 160.0, 320.0, 640.0));
        assertEquals(0.4, c.ratio(), 1e-12);
        assertEquals(0.4, c.low(), 1e-12);
        assertEquals(0.4, c.high(), 1e-12);
        assertEquals("B: 0.40x the CPU per GiB [0.40, 0.40]", c.verdict());
        assertNull(c.warning());
        assertEquals(400, c.a().median());
        assertEquals(160, c.b().median());
    }

    @Test
    void theIntervalHoldsTheMedianAndIsReproducible() {
        List<Double> a = List.of(100.0, 104.0, 98.0, 101.0, 99.0, 103.0, 97.0);
        List<Double> b = List.of(42.0, 45.0, 40.0, 41.0, 44.0, 39.0, 43.0);
        Comparison c = Comparison.of("CPU per GiB", "ms", a, b);
        assertTrue(c.low() <= c.ratio() && c.ratio() <= c.high(), c.toString());
        assertTrue(c.high() < 0.5 && c.low() > 0.35, c.toString());
        assertEquals(c, Comparison.of("CPU per GiB", "ms", a, b));
        assertNull(c.warning());
    }

    @Test
    void warnsWhenTheDataCannotSupportAConclusion() {
        Comparison noisy = Comparison.of("throughput", "MB/s", List.of(100.0, 100.0, 100.0, 100.0, 100.0),
                List.of(50.0, 180.0, 95.0, 130.0, 70.0));
        assertTrue(noisy.warning().contains("includes 1.0") || noisy.warning().contains("too noisy"),
                noisy.toString());
        Comparison wide = Comparison.of("syscalls", "", List.of(100.0, 100.0, 100.0, 100.0, 100.0),
                List.of(10.0, 30.0, 20.0, 50.0, 25.0));
        assertTrue(wide.warning().contains("too noisy"), wide.toString());
        assertEquals("only 2 pair(s): too few to conclude",
                Comparison.of("x", "", List.of(1.0, 2.0), List.of(1.0, 2.0)).warning());
    }

    @Test
    void zerosAreNoChangeOrInfinite() {
        assertEquals(1, Comparison.ratio(0, 0));
        assertEquals(Double.POSITIVE_INFINITY, Comparison.ratio(0, 5));
        assertEquals("B: 0.00098x the write syscalls per GiB [0.00098, 0.00098]", Comparison.of(
                "write syscalls per GiB", "", List.of(16384.0, 16384.0, 16384.0), List.of(16.0, 16.0, 16.0)).verdict());
        assertThrows(IllegalArgumentException.class, () -> Comparison.of("x", "", List.of(1.0), List.of()));
    }
}
