package zc.agents;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import zc.testkit.Forked;
import zc.testkit.Jdk;

/**
 * One run of a {@link TestApp} in a forked JVM with the given agents' options, fetched from with the JDK's
 * HttpClient; every download is compared byte for byte with the file served.
 */
final class AppRun implements AutoCloseable {
    /** A Spring Boot app under four other agents on two busy cores can take more than a minute. */
    private static final Duration START = Duration.ofSeconds(180);
    static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();

    private final TestApp app;
    private final Path root;
    private final Path zcOut;
    private final Forked process;
    private final int port;
    private long served;

    private AppRun(TestApp app, Path root, Path zcOut, Forked process, int port) {
        this.app = app;
        this.root = root;
        this.zcOut = zcOut;
        this.process = process;
        this.port = port;
    }

    /** zc's -javaagent option, writing its statistics to {@code out}. */
    static String zcAgent(Path out) {
        return "-javaagent:" + Jars.ZC_AGENT.toAbsolutePath() + "=out=" + out + ",log=info";
    }

    static AppRun start(Jdk jdk, List<String> jvmOptions, TestApp app, Path root, Path zcOut) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(jdk.java().toString()));
        cmd.addAll(jvmOptions);
        cmd.addAll(app.command(root));
        Forked process = Forked.start(cmd);
        try {
            int port = Integer.parseInt(process.awaitLine(app.readyPrefix(), START).strip());
            return new AppRun(app, root, zcOut, process, port);
        } catch (RuntimeException | Error | InterruptedException e) {
            process.close();
            throw e;
        }
    }

    /** Downloads a served file into {@code to}; it must equal the file. */
    void download(String file, Path to) throws Exception {
        Files.createDirectories(to.getParent());
        HttpResponse<Path> r = CLIENT.send(request(file), HttpResponse.BodyHandlers.ofFile(to));
        assertEquals(200, r.statusCode(), file);
        assertEquals(-1, Files.mismatch(root.resolve(file), to), file + ": the download differs from the file");
        served += Files.size(to);
    }

    /**
     * Downloads a served file, running {@code midway} after its first MiB has arrived and before the rest is read:
     * the server is inside its copy while {@code midway} runs.
     */
    void download(String file, Path to, ThrowingRunnable midway) throws Exception {
        Files.createDirectories(to.getParent());
        HttpResponse<InputStream> r = CLIENT.send(request(file), HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, r.statusCode(), file);
        try (InputStream in = r.body(); OutputStream out = Files.newOutputStream(to)) {
            out.write(in.readNBytes(1 << 20));
            midway.run();
            in.transferTo(out);
        }
        assertEquals(-1, Files.mismatch(root.resolve(file), to), file + ": the download differs from the file");
        served += Files.size(to);
    }

    private HttpRequest request(String file) {
        return HttpRequest.newBuilder(app.url(port, file)).timeout(Duration.ofMinutes(2)).build();
    }

    /** Every served file, once each, into {@code dir}. */
    void downloadAll(Path dir) throws Exception {
        for (String file : ServedFiles.SIZES.keySet()) {
            download(file, dir.resolve(file));
        }
    }

    long served() {
        return served;
    }

    int port() {
        return port;
    }

    TestApp app() {
        return app;
    }

    String stderr() {
        return process.stderrSoFar();
    }

    boolean alive() {
        return process.process().isAlive();
    }

    /** SIGTERM, so that the shutdown hooks run: zc writes its statistics, JaCoCo its coverage, async-profiler its
     * profile, the OpenTelemetry agent its last export. */
    void stop() throws InterruptedException {
        process.process().destroy();
        assertTrue(process.process().waitFor(60, TimeUnit.SECONDS), "no exit within 60 s of SIGTERM: " + stderr());
    }

    /** zc's statistics file, written at exit. */
    JsonNode zcStats() throws IOException {
        Path file = zcOut.resolve("zc-agent-" + process.process().pid() + ".json");
        assertTrue(Files.isRegularFile(file), "no zc statistics at " + file + "; stderr: " + stderr());
        return new ObjectMapper().readTree(file.toFile());
    }

    /** The copy site of the app in zc's statistics, as what zc did with it. */
    TestApp.Outcome zcOutcome() throws IOException {
        JsonNode stats = zcStats();
        assertEquals(0, stats.get("errors").size(), "zc failed: " + stats.get("errors"));
        List<String> found = new ArrayList<>();
        for (JsonNode s : stats.get("sites")) {
            String key = s.get("class").asText() + "." + s.get("method").asText();
            if (key.startsWith(app.copySite())) {
                return new TestApp.Outcome(s.get("status").asText(), s.get("reason").isNull() ? null
                        : s.get("reason").asText(), s.get("bytes").get("sendfile").asLong());
            }
            found.add(key);
        }
        throw new AssertionError(app.copySite() + " not among zc's sites " + found + "; stderr: " + stderr());
    }

    @Override
    public void close() {
        process.close();
    }

    interface ThrowingRunnable {
        void run() throws Exception;
    }
}
