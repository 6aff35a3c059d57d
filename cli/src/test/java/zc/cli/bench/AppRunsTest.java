package zc.cli.bench;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The start-up table compares variants round by round: ratios and differences of runs made side by side. */
class AppRunsTest {
    private static List<FirstResponse.Figures> cpu(double... ms) {
        List<FirstResponse.Figures> f = new java.util.ArrayList<>();
        for (double v : ms) {
            f.add(new FirstResponse.Figures(v, v / 2));
        }
        return f;
    }

    @Test
    void ratiosAndDifferencesArePerRoundMedians() {
        // a slow round (the machine busy) moves every variant; per-round ratios stay 1.5x and 1.25x
        AppRuns runs = new AppRuns(Map.of(
                "JDK 17|httpserver|no agent", cpu(100, 100, 400),
                "JDK 17|httpserver|no-op agent", cpu(125, 125, 500),
                "JDK 17|httpserver|observe", cpu(140, 145, 560),
                "JDK 17|httpserver|rewrite", cpu(150, 150, 600)),
                List.of("JDK 17"), List.of("httpserver"));
        String md = runs.markdown();
        assertTrue(md.contains("| httpserver | no-op agent | 125 ms | 1.250x (+25 ms) |  | 63 ms | 1.250x (+13 ms) |"),
                md);
        assertTrue(md.contains("| httpserver | rewrite | 150 ms | 1.500x (+50 ms) | +25 ms | 75 ms | 1.500x (+25 ms) |"),
                md);
        assertTrue(md.contains("| httpserver | observe | 145 ms | 1.400x (+45 ms) | +20 ms |"), md);
    }
}
