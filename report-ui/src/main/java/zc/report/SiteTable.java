package zc.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Every copy loop the agent saw in the session, from the runs' statistics files: one row per call site and side,
 * with calls, bytes per path and fallback reasons summed over that side's runs.
 */
final class SiteTable {
    private SiteTable() {
    }

    static ArrayNode of(Path dir, JsonNode session) throws IOException {
        Map<String, ObjectNode> rows = new LinkedHashMap<>();
        for (JsonNode run : session.path("runs")) {
            String stats = run.path("agentStats").asText(null);
            if (stats == null || run.path("warmup").asBoolean() || !Files.isRegularFile(dir.resolve(stats))) {
                continue;
            }
            String side = run.path("side").asText();
            for (JsonNode site : ReportWriter.JSON.readTree(dir.resolve(stats).toFile()).path("sites")) {
                String key = side + "|" + site.path("class").asText() + "|" + site.path("method").asText() + "|"
                        + site.path("line").asInt();
                ObjectNode row = rows.computeIfAbsent(key, k -> {
                    ObjectNode r = ReportWriter.JSON.createObjectNode();
                    r.put("side", side);
                    r.put("class", site.path("class").asText());
                    r.put("method", site.path("method").asText());
                    r.put("signature", JavaSignature.of(site.path("class").asText(), site.path("method").asText()));
                    r.put("line", site.path("line").asInt());
                    r.put("shape", site.path("shape").asText());
                    r.put("status", site.path("status").asText());
                    r.put("reason", site.path("reason").isNull() ? "" : site.path("reason").asText());
                    r.put("calls", 0L);
                    r.put("sendfile", 0L);
                    r.put("mmap", 0L);
                    r.put("loop", 0L);
                    r.put("direct", 0L); // the receive side: socket -> file through a direct buffer
                    r.put("wouldMove", 0L); // mode=observe: what a rewrite would move zero-copy
                    r.putObject("fallbacks");
                    return r;
                });
                row.put("calls", row.path("calls").asLong() + site.path("calls").asLong());
                for (String path : new String[] {"sendfile", "mmap", "loop", "direct"}) {
                    row.put(path, row.path(path).asLong() + site.path("bytes").path(path).asLong());
                }
                row.put("wouldMove", row.path("wouldMove").asLong() + site.path("wouldMove").path("bytes").asLong());
                ObjectNode fallbacks = (ObjectNode) row.get("fallbacks");
                site.path("fallbacks").fields().forEachRemaining(f -> fallbacks.put(f.getKey(),
                        fallbacks.path(f.getKey()).asLong() + f.getValue().asLong()));
            }
        }
        ArrayNode out = ReportWriter.JSON.createArrayNode();
        rows.values().forEach(out::add);
        return out;
    }
}
