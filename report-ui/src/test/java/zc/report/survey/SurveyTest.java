package zc.report.survey;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SurveyTest {
    private static final long MIB = 1 << 20;

    @TempDir
    Path dir;

    private Path file(String name, String json) throws Exception {
        Path p = dir.resolve(name);
        Files.createDirectories(p.getParent());
        Files.writeString(p, json);
        return p;
    }

    private static String site(String cls, String status, String reason, long calls, long loop, long sendfile,
                               String extra) {
        return "{\"id\": 0, \"class\": \"" + cls + "\", \"method\": \"copy(Ljava/io/InputStream;Ljava/io/OutputStream;)J\", "
                + "\"line\": 7, \"shape\": \"s\", \"status\": \"" + status + "\", \"reason\": "
                + (reason == null ? "null" : "\"" + reason + "\"") + ", \"calls\": " + calls
                + ", \"bytes\": {\"sendfile\": " + sendfile + ", \"mmap\": 0, \"direct\": 0, \"loop\": " + loop + "}"
                + extra + "}";
    }

    private static String stats(int schema, String mode, String... sites) {
        return "{\"schema\": \"zc-agent-stats/" + schema + "\", \"pid\": 1, \"jdk\": \"17\", \"mode\": \"" + mode
                + "\", \"sites\": [" + String.join(", ", sites) + "], \"errors\": []}";
    }

    @Test
    void ranksByOriginalBytesAndSumsTheSameSiteOverJvms() throws Exception {
        Survey survey = new Survey(MeasuredCosts.ZERO_COPY_TABLE);
        String observed = site("a.Hot", "observed", null, 4, 1024 * MIB, 0,
                ", \"fallbacks\": {\"sink is x\": 1}, \"fallbackBytes\": {\"sink is x\": " + MIB + "}, "
                        + "\"wouldMove\": {\"path\": \"sendfile\", \"calls\": 3, \"bytes\": " + (1023 * MIB) + "}");
        survey.add(StatsFile.read(file("h1/zc-agent-1.json", stats(2, "observe", observed,
                site("a.Declined", "declined", "the loop does more than read and write", 0, 0, 0, "")))));
        survey.add(StatsFile.read(file("h2/zc-agent-2.json", stats(2, "observe", observed))));
        // schema 1: no fallbackBytes, no wouldMove
        survey.add(StatsFile.read(file("h3/zc-agent-3.json", stats(1, "rewrite",
                site("a.Hot", "rewritten", null, 2, 0, 10 * MIB, ", \"fallbacks\": {}"),
                site("a.Cold", "rewritten", null, 1, MIB, 0, ", \"fallbacks\": {\"fewer bytes left than minBytes\": 1}")))));
        JsonNode s = survey.summary();
        assertEquals(3, s.get("totals").get("files").asInt());
        assertEquals(3, s.get("totals").get("sites").asInt());
        JsonNode hot = s.get("sites").get(0);
        assertEquals("a.Hot", hot.get("class").asText());
        assertEquals("copy(InputStream, OutputStream)", hot.get("signature").asText());
        assertEquals("observed / rewritten", hot.get("status").asText());
        assertEquals(3, hot.get("files").asInt());
        assertEquals(10, hot.get("calls").asLong());
        assertEquals(2048 * MIB, hot.get("originalBytes").asLong());
        assertEquals(2046 * MIB, hot.get("wouldMoveBytes").asLong());
        assertEquals(10 * MIB, hot.get("zeroCopyBytes").asLong());
        assertEquals("sink is x", hot.get("blockedBy").asText());
        assertEquals(2 * MIB, hot.get("blocked").get("sink is x").get("bytes").asLong());
        // 2046 MiB = 1.998 GiB x (498 - 234) ms
        assertEquals(Math.round(2046.0 / 1024 * 264), hot.get("rewriteWouldSave").get("cpuMs").asLong());
        assertEquals("a.Cold", s.get("sites").get(1).get("class").asText());
        JsonNode declined = s.get("sites").get(2);
        assertEquals("a.Declined", declined.get("class").asText());
        assertFalse(declined.get("measured").asBoolean(), "a declined loop is not instrumented");
        assertEquals("the loop does more than read and write", declined.get("blockedBy").asText());
        List<String> reasons = s.get("reasons").findValuesAsText("reason");
        // by bytes, then sites, then calls
        assertEquals(List.of("sink is x", "fewer bytes left than minBytes", "the loop does more than read and write"),
                reasons);
        assertEquals("site", s.get("reasons").get(2).get("kind").asText());
        assertEquals(2046 * MIB, s.get("estimate").get("rewriteWouldSave").get("bytes").asLong());
        assertEquals("estimate", s.get("estimate").get("label").asText());
    }

    @Test
    void invalidFilesSayWhyInOneLine() throws Exception {
        Path notJson = file("zc-agent-5.json", "{\"schema\": ");
        assertTrue(assertThrows(StatsFile.Invalid.class, () -> StatsFile.read(notJson)).getMessage()
                .startsWith(notJson + ": not JSON"));
        Path other = file("other.json", "{\"schema\": \"zc-survey/1\", \"sites\": []}");
        assertEquals(other + ": not zc agent statistics (schema 'zc-survey/1', expected zc-agent-stats/1 or /2)",
                assertThrows(StatsFile.Invalid.class, () -> StatsFile.read(other)).getMessage());
        Path noSites = file("zc-agent-6.json", "{\"schema\": \"zc-agent-stats/2\"}");
        assertEquals(noSites + ": no sites array",
                assertThrows(StatsFile.Invalid.class, () -> StatsFile.read(noSites)).getMessage());
        Path badSite = file("zc-agent-7.json", "{\"schema\": \"zc-agent-stats/2\", \"sites\": [{\"id\": 1}]}");
        assertTrue(assertThrows(StatsFile.Invalid.class, () -> StatsFile.read(badSite)).getMessage()
                .startsWith(badSite + ": a site without class, method or status"));
    }

    @Test
    void foldersAreSearchedForStatisticsFiles() throws Exception {
        Path a = file("fleet/host-a/zc-agent-11.json", stats(2, "observe"));
        Path b = file("fleet/host-b/runs/01-A/agent-stats.json", stats(2, "observe"));
        file("fleet/host-b/notes.json", "{}");
        assertEquals(List.of(a, b), StatsFiles.find(List.of(dir.resolve("fleet"), a)));
        assertEquals(dir.resolve("nope") + ": no such file or folder",
                assertThrows(StatsFile.Invalid.class, () -> StatsFiles.find(List.of(dir.resolve("nope")))).getMessage());
    }
}
