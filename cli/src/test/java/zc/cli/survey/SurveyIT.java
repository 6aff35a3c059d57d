package zc.cli.survey;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import zc.cli.report.Chromium;
import zc.demo.httpserver.StaticFileServer;
import zc.testkit.Forked;
import zc.testkit.Jdk;

/**
 * {@code zc survey} over the statistics of real runs: the static-file demo under the agent in observe mode and in
 * rewrite mode, several times, on every installed JDK, each JVM stopped as an operator stops it (SIGTERM); plus a
 * malformed file. Observe mode must report the calls and bytes that rewrite mode then moves by sendfile; the survey
 * must rank, tally and estimate from those files, fail in one line on bad input, and render in a real browser.
 */
class SurveyIT {
    private static final String CLI = System.getProperty("zc.cliJar", "target/zc-cli.jar");
    private static final String AGENT = System.getProperty("zc.agentJar", "../agent/target/zc-agent.jar");
    private static final int BIG = 16 << 20;
    private static final int SMALL = 4096;
    private static final int BIG_GETS = 3;
    private static final int SMALL_GETS = 2;
    private static final String SITE = "zc.demo.httpserver.StaticFileServer";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path work;
    static Path stats;
    static List<String> runs = new ArrayList<>();
    static ChromeDriver browser;

    @BeforeAll
    static void realRuns() throws Exception {
        Path root = Files.createDirectories(work.resolve("www"));
        byte[] big = new byte[BIG];
        new Random(7).nextBytes(big);
        Files.write(root.resolve("big.bin"), big);
        Files.write(root.resolve("small.bin"), java.util.Arrays.copyOf(big, SMALL));
        stats = Files.createDirectories(work.resolve("fleet"));
        List<Jdk> jdks = Jdk.installed();
        for (Jdk jdk : jdks) {
            for (String mode : List.of("observe", "rewrite")) {
                serve(jdk, mode, root, big);
            }
        }
        serve(jdks.get(0), "observe", root, big);
        serve(jdks.get(0), "rewrite", root, big);
    }

    @AfterAll
    static void close() {
        if (browser != null) {
            browser.quit();
        }
    }

    /** One service JVM: serves 3 big and 2 small downloads, checked byte for byte, then stopped with SIGTERM. */
    private static void serve(Jdk jdk, String mode, Path root, byte[] big) throws Exception {
        String name = "jdk" + jdk.major() + "-" + mode + "-" + runs.size();
        Path out = stats.resolve(name);
        List<String> cmd = List.of(jdk.java().toString(), "-javaagent:" + AGENT + "=mode=" + mode + ",out=" + out,
                "-cp", CLI, StaticFileServer.class.getName(), "--root", root.toString(), "--port", "0");
        try (Forked server = Forked.start(cmd)) {
            int port = Integer.parseInt(server.awaitLine("ZC-LISTENING ", Duration.ofSeconds(30)).strip());
            HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            for (int i = 0; i < BIG_GETS + SMALL_GETS; i++) {
                String file = i < BIG_GETS ? "big.bin" : "small.bin";
                HttpResponse<byte[]> r = client.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/" + file)).build(), HttpResponse.BodyHandlers.ofByteArray());
                assertEquals(200, r.statusCode());
                assertArrayEquals(i < BIG_GETS ? big : java.util.Arrays.copyOf(big, SMALL), r.body(), name);
            }
            server.process().destroy(); // SIGTERM: the JVM runs its shutdown hooks, the agent writes its file
            server.await(Duration.ofSeconds(30));
        }
        runs.add(name);
    }

    private static JsonNode copyBodySite(Path runDir) throws Exception {
        try (Stream<Path> files = Files.list(runDir)) {
            Path f = files.filter(p -> p.getFileName().toString().startsWith("zc-agent-")).findFirst().orElseThrow();
            for (JsonNode site : JSON.readTree(f.toFile()).get("sites")) {
                if (site.get("class").asText().equals(SITE) && site.get("method").asText().startsWith("copyBody(")) {
                    return site;
                }
            }
        }
        throw new AssertionError("no copyBody site in " + runDir);
    }

    @Test
    void observeReportsTheCallsAndBytesThatRewriteMovesBySendfile() throws Exception {
        for (Jdk jdk : Jdk.installed()) {
            JsonNode observed = copyBodySite(stats.resolve(runs.stream()
                    .filter(r -> r.startsWith("jdk" + jdk.major() + "-observe")).findFirst().orElseThrow()));
            JsonNode rewritten = copyBodySite(stats.resolve(runs.stream()
                    .filter(r -> r.startsWith("jdk" + jdk.major() + "-rewrite")).findFirst().orElseThrow()));
            String both = jdk + " observe " + observed + "\nrewrite " + rewritten;
            assertEquals("observed", observed.get("status").asText(), both);
            assertEquals("rewritten", rewritten.get("status").asText(), both);
            assertEquals((long) BIG * BIG_GETS, rewritten.get("bytes").get("sendfile").asLong(), both);
            assertEquals(rewritten.get("bytes").get("sendfile").asLong(), observed.get("wouldMove").get("bytes").asLong(),
                    "observe reports the bytes rewrite moves by sendfile: " + both);
            assertEquals("sendfile", observed.get("wouldMove").get("path").asText(), both);
            assertEquals(rewritten.get("calls").asLong(), observed.get("calls").asLong(), both);
            assertEquals(BIG_GETS, observed.get("wouldMove").get("calls").asLong(), both);
            assertEquals(0, observed.get("bytes").get("sendfile").asLong(), both);
            assertEquals((long) BIG * BIG_GETS + (long) SMALL * SMALL_GETS, observed.get("bytes").get("loop").asLong(),
                    "every byte through the original loop: " + both);
            assertEquals(rewritten.get("fallbacks"), observed.get("fallbacks"), both);
            assertEquals(rewritten.get("fallbackBytes"), observed.get("fallbackBytes"), both);
            assertEquals((long) SMALL * SMALL_GETS, observed.get("fallbackBytes").get("fewer bytes left than minBytes")
                    .asLong(), both);
        }
    }

    @Test
    void surveysEveryRunRanksTalliesAndEstimates() throws Exception {
        Path malformed = Files.createDirectories(stats.resolve("broken")).resolve("zc-agent-999.json");
        Files.writeString(malformed, "{\"schema\": \"zc-agent-stats/2\", \"sites\": [");
        try {
            Forked.Result strict = zc("survey", stats.toString(), "-o", work.resolve("strict.html").toString());
            assertEquals(2, strict.exitCode(), strict.stderr());
            assertEquals(1, strict.stderrLines().size(), strict.stderr());
            assertTrue(strict.stderr().startsWith("zc survey: " + malformed + ": not JSON"), strict.stderr());

            Path html = work.resolve("fleet.html");
            Forked.Result r = zc("survey", stats.toString(), "--skip-invalid", "-o", html.toString());
            assertEquals(0, r.exitCode(), r.stderr());
            assertTrue(r.stderr().contains("skipped " + malformed), r.stderr());
            JsonNode summary = JSON.readTree(work.resolve("fleet.json").toFile());
            assertEquals("zc-survey/1", summary.get("schema").asText());
            JsonNode totals = summary.get("totals");
            assertEquals(runs.size(), totals.get("files").asInt());
            assertEquals(1, totals.get("skipped").asInt());
            long observeRuns = runs.stream().filter(n -> n.contains("-observe-")).count();
            long rewriteRuns = runs.size() - observeRuns;
            assertEquals(observeRuns, totals.get("observeFiles").asInt());
            assertEquals(observeRuns * BIG_GETS * BIG, totals.get("wouldMoveBytes").asLong());
            assertEquals(rewriteRuns * BIG_GETS * BIG, totals.get("zeroCopyBytes").asLong());

            JsonNode top = summary.get("sites").get(0);
            assertEquals(1, top.get("rank").asInt());
            assertEquals(SITE, top.get("class").asText());
            assertEquals("copyBody(InputStream, OutputStream, byte[])", top.get("signature").asText());
            assertEquals("observed / rewritten", top.get("status").asText());
            assertEquals(runs.size(), top.get("files").asInt());
            assertEquals(runs.size() * (BIG_GETS + SMALL_GETS), top.get("calls").asLong());
            assertEquals(observeRuns * (BIG_GETS * (long) BIG + SMALL_GETS * SMALL) + rewriteRuns * SMALL_GETS * SMALL,
                    top.get("originalBytes").asLong(), top.toString());
            assertEquals("fewer bytes left than minBytes", top.get("blockedBy").asText());
            assertTrue(top.get("rewriteWouldSave").get("writeCalls").asLong() > 0, top.toString());

            JsonNode reason = null;
            for (JsonNode t : summary.get("reasons")) {
                if (t.get("reason").asText().equals("fewer bytes left than minBytes")) {
                    reason = t;
                }
            }
            assertEquals("call", reason.get("kind").asText());
            assertEquals(runs.size() * SMALL_GETS, reason.get("calls").asLong());
            assertEquals((long) runs.size() * SMALL_GETS * SMALL, reason.get("bytes").asLong());

            JsonNode estimate = summary.get("estimate");
            assertEquals("estimate", estimate.get("label").asText());
            assertTrue(estimate.get("source").asText().startsWith("docs/BENCHMARKS.md"), estimate.toString());
            double gib = observeRuns * BIG_GETS * (double) BIG / (1L << 30);
            assertEquals(Math.round(gib * (498 - 234)), estimate.get("rewriteWouldSave").get("cpuMs").asLong());
            assertEquals(Math.round(gib * (16_384 - 1)), estimate.get("rewriteWouldSave").get("writeCalls").asLong());

            String page = Files.readString(html);
            assertTrue(page.contains("Content-Security-Policy") && !page.contains("src=\"http"), "offline");
            inTheBrowser(html, observeRuns);
        } finally {
            Files.delete(malformed);
        }
    }

    private static void inTheBrowser(Path html, long observeRuns) throws Exception {
        Chromium.assumeInstalled();
        browser = Chromium.start(work.resolve("chromium-profile"));
        browser.get(html.toUri().toString());
        List<WebElement> tabs = browser.findElements(By.cssSelector("#tabs button"));
        assertEquals(List.of("Survey", "Call sites", "Reasons", "JVMs"), tabs.stream().map(WebElement::getText).toList());
        String estimate = browser.findElement(By.id("estimate")).getText();
        assertTrue(estimate.contains("Estimate: moving " + (observeRuns * BIG_GETS * 16) + ".0 MiB zero-copy"), estimate);
        assertTrue(browser.findElements(By.cssSelector("#panel-overview canvas")).size() >= 1, "the chart renders");
        browser.findElement(By.id("tab-sites")).click();
        List<WebElement> first = browser.findElements(By.cssSelector("#survey-sites tbody tr")).get(0)
                .findElements(By.tagName("td"));
        assertEquals("1", first.get(0).getText());
        assertEquals("copyBody(InputStream, OutputStream, byte[])", first.get(2).getText());
        assertTrue(first.get(8).getText().endsWith(" MiB"), "bytes with units: " + first.get(8).getText());
        WebElement bytesColumn = browser.findElements(By.cssSelector("#survey-sites th")).get(8);
        bytesColumn.click();
        assertEquals("ascending", bytesColumn.getAttribute("aria-sort"));
        browser.findElement(By.id("tab-reasons")).click();
        assertTrue(browser.findElement(By.id("reasons")).getText().contains("fewer bytes left than minBytes"));
        browser.findElement(By.id("tab-jvms")).click();
        assertEquals(runs.size(), browser.findElements(By.cssSelector("#files tbody tr")).size());
        assertTrue(browser.findElement(By.id("panel-jvms")).getText().contains("zc-agent-999.json"), "the skipped file");
        assertEquals(0L, Chromium.requests(browser), "no request leaves the page");
        assertEquals(List.of(), Chromium.consoleErrors(browser), "no console error");
        browser.findElement(By.id("tab-overview")).click();
        Files.write(Path.of("target", "survey-screenshot.png"), ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
    }

    @Test
    void badInputIsOneLineAndANonZeroExit() throws Exception {
        Forked.Result missing = zc("survey", work.resolve("nowhere").toString());
        assertEquals(2, missing.exitCode());
        assertEquals(List.of("zc survey: " + work.resolve("nowhere") + ": no such file or folder"), missing.stderrLines());
        Path empty = Files.createDirectories(work.resolve("empty"));
        Forked.Result none = zc("survey", empty.toString());
        assertEquals(2, none.exitCode());
        assertTrue(none.stderr().contains("no zc-agent-*.json file"), none.stderr());
        Path other = work.resolve("other.json");
        Files.writeString(other, "{\"schema\": \"zc-session/1\"}");
        Forked.Result wrong = zc("survey", other.toString());
        assertEquals(2, wrong.exitCode());
        assertEquals(1, wrong.stderrLines().size(), wrong.stderr());
        assertTrue(wrong.stderr().contains("not zc agent statistics (schema 'zc-session/1'"), wrong.stderr());
        Forked.Result help = zc("survey", "--help");
        assertEquals(0, help.exitCode());
        assertTrue(help.stdout().contains("--skip-invalid"), help.stdout());
    }

    @Test
    void manyFilesReportProgress() throws Exception {
        Path many = Files.createDirectories(work.resolve("many"));
        Path one;
        try (Stream<Path> files = Files.list(stats.resolve(runs.get(0)))) {
            one = files.filter(p -> p.getFileName().toString().startsWith("zc-agent-")).findFirst().orElseThrow();
        }
        for (int i = 0; i < SurveyCommand.PROGRESS_FROM; i++) {
            Files.copy(one, Files.createDirectories(many.resolve("host-" + i)).resolve("zc-agent-" + i + ".json"));
        }
        Forked.Result r = zc("survey", many.toString(), "-o", work.resolve("many.html").toString(),
                "--json", work.resolve("many-summary.json").toString());
        assertEquals(0, r.exitCode(), r.stderr());
        assertTrue(r.stderr().contains("zc survey: reading " + SurveyCommand.PROGRESS_FROM + " statistics files"), r.stderr());
        assertTrue(r.stderr().contains("of " + SurveyCommand.PROGRESS_FROM + " files read"), r.stderr());
        JsonNode summary = JSON.readTree(work.resolve("many-summary.json").toFile());
        assertEquals(SurveyCommand.PROGRESS_FROM, summary.get("sites").get(0).get("files").asInt());
    }

    private static Forked.Result zc(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", CLI));
        cmd.addAll(List.of(args));
        return Forked.run(Duration.ofMinutes(2), cmd);
    }
}
