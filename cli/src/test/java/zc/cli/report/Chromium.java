package zc.cli.report;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;

/**
 * Headless Chromium for the reports' browser tests: Debian's chromium and chromium-driver (.ci/run installs them;
 * {@code -Dzc.chromium} and {@code -Dzc.chromedriver} point elsewhere). Where they are missing, each test is
 * skipped with the reason (an assumption in the test, so JUnit counts it as run and skipped).
 */
public final class Chromium {
    private static final Path BINARY = Path.of(System.getProperty("zc.chromium", "/usr/bin/chromium"));
    private static final Path DRIVER = Path.of(System.getProperty("zc.chromedriver", "/usr/bin/chromedriver"));

    private Chromium() {
    }

    /** Skips the calling test, saying what is missing, unless both the browser and its driver are installed. */
    public static void assumeInstalled() {
        List<String> missing = new ArrayList<>();
        if (!Files.isExecutable(BINARY)) {
            missing.add(BINARY + " (Debian package chromium)");
        }
        if (!Files.isExecutable(DRIVER)) {
            missing.add(DRIVER + " (Debian package chromium-driver)");
        }
        String reason = "skipped: the browser test needs " + String.join(" and ", missing)
                + "; .ci/run installs them";
        if (!missing.isEmpty()) {
            System.err.println(reason); // in the build log too, not only in the test report
        }
        assumeTrue(missing.isEmpty(), reason);
    }

    public static ChromeDriver start(Path profile) {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(BINARY.toString());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--window-size=1400,1000", "--user-data-dir=" + profile);
        options.setCapability("goog:loggingPrefs", Map.of("browser", "ALL"));
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(DRIVER.toFile()).build();
        return new ChromeDriver(service, options);
    }

    /** Console messages at warning level or above since the last call. */
    public static List<String> consoleErrors(ChromeDriver browser) {
        return browser.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(e -> e.getLevel().intValue() >= java.util.logging.Level.WARNING.intValue())
                .map(LogEntry::getMessage).toList();
    }

    /** Requests the page made (resources fetched): 0 for an offline report. */
    public static Object requests(ChromeDriver browser) {
        return ((JavascriptExecutor) browser).executeScript("return performance.getEntriesByType('resource').length");
    }
}
