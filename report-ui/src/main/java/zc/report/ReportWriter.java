package zc.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import zc.demo.strategy.Strategy;

/**
 * Writes the report: one HTML file that needs nothing else. The template, styles, script and the vendored chart
 * library (uPlot, MIT) are inlined; the data is one JSON document in a {@code <script type="application/json">}
 * block, escaped so that no string in it (a command line holding {@code </script>}, a class name) can end the
 * block; the script only ever puts data into the page as text. A Content-Security-Policy forbids every request.
 */
public final class ReportWriter {
    static final ObjectMapper JSON = new ObjectMapper();
    /** Flame graph stacks kept per graph, heaviest first: enough to see everything wider than a pixel. */
    static final int MAX_STACKS = 4000;

    private ReportWriter() {
    }

    /** The report of the A/B session in {@code dir} (its session.json and run folders). */
    public static String forSession(Path dir) throws IOException {
        ObjectNode data = JSON.createObjectNode();
        data.put("kind", "ab");
        JsonNode session = JSON.readTree(dir.resolve("session.json").toFile());
        data.set("session", session);
        data.set("model", model());
        ObjectNode flame = data.putObject("flame");
        flame.set("A", collapsed(dir.resolve("flame-A-per-gib.collapsed"), 1));
        flame.set("B", collapsed(dir.resolve("flame-B-per-gib.collapsed"), 1));
        flame.set("diff", collapsed(dir.resolve("flame-diff-per-gib.collapsed"), 2));
        data.set("sites", SiteTable.of(dir, session));
        data.set("timeline", Timeline.of(dir, session));
        return render("zc A/B: " + session.path("label").asText(), data);
    }

    /** The report of a {@code zc demo} run: its JSON document, as {@code zc demo --json} writes it. */
    public static String forDemo(JsonNode demo) throws IOException {
        ObjectNode data = JSON.createObjectNode();
        data.put("kind", "demo");
        data.set("demo", demo);
        data.set("model", model());
        return render("zc demo: the zero-copy table", data);
    }

    /** The report of a {@code zc survey}: its JSON summary ({@link zc.report.survey.Survey}). */
    public static String forSurvey(JsonNode survey) throws IOException {
        ObjectNode data = JSON.createObjectNode();
        data.put("kind", "survey");
        data.set("survey", survey);
        int files = survey.path("totals").path("files").asInt();
        return render("zc survey: " + files + " JVM" + (files == 1 ? "" : "s"), data);
    }

    private static ArrayNode model() {
        ArrayNode a = JSON.createArrayNode();
        for (Strategy s : Strategy.values()) {
            ObjectNode m = JSON.valueToTree(s.model());
            m.put("id", s.id());
            a.add(m);
        }
        return a;
    }

    /** Collapsed stacks as [[stack, count...]], the heaviest {@link #MAX_STACKS}; empty when absent. */
    static ArrayNode collapsed(Path file, int counts) throws IOException {
        ArrayNode out = JSON.createArrayNode();
        if (!Files.isRegularFile(file)) {
            return out;
        }
        List<String[]> rows = new ArrayList<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            String[] parts = line.split(" ");
            if (parts.length > counts) {
                String[] row = new String[counts + 1];
                row[0] = String.join(" ", java.util.Arrays.copyOf(parts, parts.length - counts));
                System.arraycopy(parts, parts.length - counts, row, 1, counts);
                rows.add(row);
            }
        }
        rows.sort(Comparator.comparingDouble((String[] r) -> {
            double max = 0;
            for (int i = 1; i < r.length; i++) {
                max = Math.max(max, Double.parseDouble(r[i]));
            }
            return -max;
        }));
        for (String[] r : rows.subList(0, Math.min(MAX_STACKS, rows.size()))) {
            ArrayNode row = out.addArray();
            row.add(r[0]);
            for (int i = 1; i < r.length; i++) {
                row.add(Double.parseDouble(r[i]));
            }
        }
        return out;
    }

    static String render(String title, ObjectNode data) throws IOException {
        Map<String, String> parts = new LinkedHashMap<>();
        parts.put("{{TITLE}}", Html.text(title));
        parts.put("{{CSS}}", resource("vendor/uPlot.min.css") + "\n" + resource("report.css"));
        parts.put("{{UPLOT}}", resource("vendor/uPlot.iife.min.js"));
        parts.put("{{JS}}", resource("report.js"));
        parts.put("{{DATA}}", Html.scriptJson(JSON.writeValueAsString(data)));
        String template = resource("template.html");
        StringBuilder out = new StringBuilder(template.length() + 1 << 20);
        int pos = 0;
        while (true) {
            int next = template.indexOf("{{", pos);
            if (next < 0) {
                break;
            }
            int end = template.indexOf("}}", next) + 2;
            String key = template.substring(next, end);
            out.append(template, pos, next).append(parts.getOrDefault(key, key));
            pos = end;
        }
        return out.append(template.substring(pos)).toString();
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = ReportWriter.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IOException("report resource missing: " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
