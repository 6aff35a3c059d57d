package zc.session.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import zc.proc.Counters;
import zc.session.stats.Comparison;

/** session.json against docs/session-schema.json, and back into the records. */
class SessionSchemaTest {
    private static final Path SCHEMA = Path.of("../docs/session-schema.json");

    static Set<ValidationMessage> validate(JsonNode doc) throws Exception {
        try (InputStream in = Files.newInputStream(SCHEMA)) {
            JsonSchema schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V7).getSchema(in);
            return schema.validate(doc);
        }
    }

    static Session sample() {
        Counters c = new Counters(10, 20, 1000, 2000, 3, 4, 5, 0, 6_000_000, 7_000_000, 1_000_000_000);
        RunRecord a = new RunRecord(1, 1, "A", false, "ok", null, 0, 1L << 30, c, 4242, "runs/01-A",
                new ProfileInfo("perf_events", "runs/01-A/profile-4242.jfr", "runs/01-A/collapsed.txt", 300, 40),
                "runs/01-A/agent/zc-agent-4242.json");
        RunRecord b = new RunRecord(2, 1, "B", false, "failed", "the application exited with status 1", 1, 0, null,
                4243, "runs/02-B", null, null);
        Comparison cmp = Comparison.of("CPU per GiB", "ms", List.of(10.0, 11.0, 12.0), List.of(5.0, 6.0, 6.0));
        return new Session(Session.SCHEMA, "demo \"<script>\"", "2026-11-22T01:00:00Z", false, "run 2 (B) failed",
                List.of("java", "-jar", "app.jar", "$(touch x); 'q"), "mode=observe", "mode=rewrite",
                "the application runs to completion", "JAVA_TOOL_OPTIONS", 1, Map.of("kernel", "6.18"),
                List.of(a, b), List.of(cmp), List.of("1 pair(s) left out"), null,
                Map.of("A", Map.of("write", 16384L, "read", 16500L), "B", Map.of("sendfile", 1L)));
    }

    @Test
    void aSessionWrittenByZcFollowsTheSchemaAndReadsBack(@TempDir Path dir) throws Exception {
        Session s = sample();
        Path file = dir.resolve("session.json");
        Sessions.write(s, file);
        assertEquals(Set.of(), validate(Sessions.json().readTree(file.toFile())));
        assertEquals(s, Sessions.read(file));
    }

    @Test
    void theSchemaRejectsWhatIsNotASession() throws Exception {
        JsonNode bad = Sessions.json().readTree("{\"schema\": \"zc-ab-session/2\", \"runs\": [{\"side\": \"C\"}]}");
        Set<ValidationMessage> errors = validate(bad);
        assertFalse(errors.isEmpty());
        assertTrue(errors.toString().contains("schema"), errors.toString());
    }
}
