package zc.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Per run, its /proc samples over time (at most 200 points): CPU and write syscalls since the run started. */
final class Timeline {
    private static final int POINTS = 200;

    private Timeline() {
    }

    static ArrayNode of(Path dir, JsonNode session) throws IOException {
        ArrayNode out = ReportWriter.JSON.createArrayNode();
        for (JsonNode run : session.path("runs")) {
            Path jsonl = dir.resolve(run.path("dir").asText()).resolve("proc.jsonl");
            if (!Files.isRegularFile(jsonl)) {
                continue;
            }
            List<String> lines = Files.readAllLines(jsonl, StandardCharsets.UTF_8);
            if (lines.isEmpty()) {
                continue;
            }
            ObjectNode r = out.addObject();
            r.put("run", run.path("index").asInt());
            r.put("side", run.path("side").asText());
            ArrayNode t = r.putArray("t");
            ArrayNode cpu = r.putArray("cpuMs");
            ArrayNode writes = r.putArray("syscw");
            JsonNode first = ReportWriter.JSON.readTree(lines.get(0));
            int step = Math.max(1, lines.size() / POINTS);
            for (int i = 0; i < lines.size(); i += step) {
                JsonNode s = ReportWriter.JSON.readTree(lines.get(i));
                t.add((s.path("wallNs").asLong() - first.path("wallNs").asLong()) / 1e6);
                cpu.add((s.path("cpuUserNs").asLong() + s.path("cpuSysNs").asLong()
                        - first.path("cpuUserNs").asLong() - first.path("cpuSysNs").asLong()) / 1e6);
                writes.add(s.path("syscw").asLong() - first.path("syscw").asLong());
            }
        }
        return out;
    }
}
