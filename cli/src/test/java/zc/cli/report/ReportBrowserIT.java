package zc.cli.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import zc.demo.httpserver.StaticFileServer;
import zc.testkit.Forked;

/**
 * The report of a real session in headless Chromium (Debian's chromium and chromium-driver): no console error, no
 * request, every tab opens, charts and flame graphs render, the call-site table sorts, a {@code <script>} in the
 * command line stays text. Keeps a screenshot in target/report-screenshot.png.
 */
class ReportBrowserIT {
    private static final String CLI = System.getProperty("zc.cliJar", "target/zc-cli.jar");
    private static final String AGENT = System.getProperty("zc.agentJar", "../agent/target/zc-agent.jar");
    private static final String HOSTILE = "<script>alert(1)</script>";

    @TempDir
    static Path work;
    static ChromeDriver browser;

    /** Each test, not the class, assumes the browser: where it is missing JUnit reports the tests skipped. */
    @BeforeEach
    void browser() {
        Chromium.assumeInstalled();
        if (browser == null) {
            browser = Chromium.start(work.resolve("chromium-profile"));
        }
    }

    @AfterAll
    static void close() {
        if (browser != null) {
            browser.quit();
        }
    }

    @Test
    void theReportOfARealSessionWorksOfflineInABrowser() throws Exception {
        Path root = Files.createDirectories(work.resolve("www"));
        byte[] b = new byte[16 << 20];
        new java.util.Random(3).nextBytes(b);
        Files.write(root.resolve("f.bin"), b);
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path out = work.resolve("session");
        Forked.Result r = Forked.run(Duration.ofMinutes(5), List.of(java(), "-jar", CLI, "ab", "--agent", AGENT,
                "--pairs", "2", "--no-warmup", "--label", "hostile " + HOSTILE, "--out", out.toString(),
                "--http", "http://127.0.0.1:" + port + "/f.bin", "--requests", "8", "--ready-port", String.valueOf(port),
                "--", java(), "-cp", CLI, StaticFileServer.class.getName(), "--root", root.toString(),
                "--port", String.valueOf(port), "--note", HOSTILE));
        assertEquals(0, r.exitCode(), r.stdout() + r.stderr());
        Path report = out.resolve("report.html");
        assertTrue(Files.size(report) < 3_000_000, "under 3 MB: " + Files.size(report));
        assertTrue(!Files.readString(report).contains(HOSTILE), "never in the file as markup");

        browser.get(report.toUri().toString());
        assertThrows(NoAlertPresentException.class, () -> browser.switchTo().alert());
        assertTrue(browser.findElement(By.id("title")).getText().contains(HOSTILE), "the label shows as text");

        List<WebElement> tabs = browser.findElements(By.cssSelector("#tabs button"));
        assertEquals(7, tabs.size());
        for (WebElement tab : tabs) {
            tab.click();
            String panel = "panel-" + tab.getAttribute("id").substring(4);
            assertTrue(browser.findElement(By.id(panel)).isDisplayed(), panel + " opens");
        }
        browser.findElement(By.id("tab-charts")).click();
        assertTrue(browser.findElements(By.cssSelector("#panel-charts canvas")).size() >= 7, "charts render");
        for (String flame : List.of("flame-a", "flame-b", "flame-diff")) {
            browser.findElement(By.id("tab-" + flame)).click();
            assertTrue(browser.findElements(By.cssSelector("#panel-" + flame + " .frame")).size() > 10, flame);
        }
        browser.findElement(By.id("tab-flame-a")).click();
        WebElement search = browser.findElement(By.cssSelector("#panel-flame-a input[type=search]"));
        search.sendKeys("StaticFileServer");
        assertTrue(!browser.findElements(By.cssSelector("#panel-flame-a .frame.match")).isEmpty(), "search finds");

        browser.findElement(By.id("tab-env")).click();
        assertTrue(browser.findElement(By.id("panel-env")).getText().contains(HOSTILE), "the command shows as text");

        browser.findElement(By.id("tab-sites")).click();
        WebElement calls = browser.findElements(By.cssSelector("#sites th")).get(6);
        calls.click();
        calls.click();
        assertEquals("descending", calls.getAttribute("aria-sort"));
        List<Long> values = new ArrayList<>();
        for (WebElement row : browser.findElements(By.cssSelector("#sites tbody tr"))) {
            values.add(Long.parseLong(row.findElements(By.tagName("td")).get(6).getText()));
        }
        assertTrue(values.size() >= 2, "the sites of both sides: " + values);
        for (int i = 1; i < values.size(); i++) {
            assertTrue(values.get(i - 1) >= values.get(i), "sorted: " + values);
        }
        boolean observedSide = false;
        for (WebElement row : browser.findElements(By.cssSelector("#sites tbody tr"))) {
            List<WebElement> cells = row.findElements(By.tagName("td"));
            if (cells.get(2).getText().startsWith("copyBody(")) {
                assertEquals("copyBody(InputStream, OutputStream, byte[])", cells.get(2).getText(), "Java signature");
                assertTrue(cells.get(9).getText().matches("[0-9.]+ (B|KiB|MiB|GiB)"), "bytes with units: " + cells.get(9).getText());
                if (cells.get(0).getText().equals("A")) {
                    observedSide = true;
                    assertTrue(cells.get(11).getText().endsWith(" MiB"), "the observe side: what a rewrite would move: "
                            + cells.get(11).getText());
                }
            }
        }
        assertTrue(observedSide, "the observe side's copyBody row");
        browser.findElement(By.id("theme")).click();

        assertEquals(0L, Chromium.requests(browser), "no request leaves the page");
        assertEquals(List.of(), Chromium.consoleErrors(browser), "no console error");

        browser.findElement(By.id("tab-overview")).click();
        Path shot = Path.of("target", "report-screenshot.png");
        Files.write(shot, ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
        assertTrue(Files.size(shot) > 10_000);
    }

    @Test
    void theDemoTableRendersTheSameWay() throws Exception {
        Path report = work.resolve("demo.html");
        Forked.Result r = Forked.run(Duration.ofMinutes(3), List.of(java(), "-jar", CLI, "demo", "--size", "4m",
                "--rounds", "1", "--strategies", "read-write,sendfile", "--cache", work.resolve("cache").toString(),
                "--report", report.toString()));
        assertEquals(0, r.exitCode(), r.stderr());
        browser.get(report.toUri().toString());
        assertEquals(3, browser.findElements(By.cssSelector("#strategies tr")).size(), "header and two strategies");
        browser.findElement(By.id("tab-charts")).click();
        assertTrue(browser.findElements(By.cssSelector("#panel-charts canvas")).size() >= 6);
        assertEquals(List.of(), Chromium.consoleErrors(browser));
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
