package zc.report.survey;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import zc.report.JavaSignature;

/**
 * Every call site of many JVMs' statistics files in one table: the same site (class, method, line) in several JVMs
 * is one row with their figures summed, ranked by the bytes that went through the application's original code;
 * with its status, what blocks it, the reasons tallied over all sites, and an estimate of what a rewrite saves
 * ({@link MeasuredCosts}). The result is the JSON summary ({@code schema: zc-survey/1}) the report renders.
 */
public final class Survey {
    public static final String SCHEMA = "zc-survey/1";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final MeasuredCosts costs;
    private final Map<String, Row> rows = new LinkedHashMap<>();
    private final Map<String, Tally> reasons = new TreeMap<>();
    private final ArrayNode files = JSON.createArrayNode();
    private final ArrayNode skipped = JSON.createArrayNode();

    public Survey(MeasuredCosts costs) {
        this.costs = costs;
    }

    /** A file left out (with --skip-invalid), listed in the summary. */
    public void skip(String error) {
        skipped.addObject().put("error", error);
    }

    public void add(StatsFile file) {
        long original = 0;
        long zeroCopy = 0;
        long would = 0;
        for (JsonNode site : file.doc().path("sites")) {
            String key = site.path("class").asText() + "|" + site.path("method").asText() + "|"
                    + site.path("line").asInt(-1);
            Row row = rows.computeIfAbsent(key, k -> new Row(site));
            row.add(site, file.mode());
            original += bytes(site, "loop");
            zeroCopy += zeroCopy(site);
            would += site.path("wouldMove").path("bytes").asLong();
        }
        ObjectNode f = files.addObject();
        f.put("path", file.path().toString());
        f.put("pid", file.doc().path("pid").asLong());
        f.put("jdk", file.doc().path("jdk").asText(""));
        f.put("mode", file.mode());
        f.put("schema", file.schema());
        f.put("sites", file.doc().path("sites").size());
        f.put("running", file.doc().path("running").asInt(0));
        f.put("originalBytes", original);
        f.put("zeroCopyBytes", zeroCopy);
        f.put("wouldMoveBytes", would);
    }

    /** The summary: totals, the estimate, the ranked sites, the reasons. */
    public ObjectNode summary() {
        List<Row> ranked = new ArrayList<>(rows.values());
        ranked.sort(Comparator.comparingLong((Row r) -> -r.original).thenComparingLong(r -> -r.would)
                .thenComparingLong(r -> -r.calls).thenComparing(r -> r.className));
        reasons.clear();
        for (Row r : ranked) {
            if (r.reason != null) {
                reasons.computeIfAbsent("site|" + r.reason, k -> new Tally("site", r.reason)).add(r.calls, 0);
            }
            r.blocked.forEach((reason, t) ->
                    reasons.computeIfAbsent("call|" + reason, k -> new Tally("call", reason)).add(t[0], t[1]));
        }
        ObjectNode out = JSON.createObjectNode();
        out.put("schema", SCHEMA);
        out.put("createdAt", Instant.now().toString());
        ObjectNode totals = out.putObject("totals");
        long original = 0;
        long zeroCopy = 0;
        long would = 0;
        long calls = 0;
        for (Row r : ranked) {
            original += r.original;
            zeroCopy += r.zeroCopy;
            would += r.would;
            calls += r.calls;
        }
        totals.put("files", files.size());
        totals.put("skipped", skipped.size());
        totals.put("observeFiles", countMode("observe"));
        totals.put("rewriteFiles", countMode("rewrite"));
        totals.put("sites", ranked.size());
        totals.put("calls", calls);
        totals.put("originalBytes", original);
        totals.put("zeroCopyBytes", zeroCopy);
        totals.put("wouldMoveBytes", would);
        ObjectNode estimate = out.putObject("estimate");
        estimate.put("label", "estimate");
        estimate.put("source", costs.source());
        estimate.put("caveat", costs.caveat());
        estimate.set("costsPerGib", JSON.valueToTree(costs));
        ((ObjectNode) estimate.get("costsPerGib")).remove(List.of("source", "caveat"));
        estimate.set("rewriteWouldSave", savings(would));
        estimate.set("savedByRewrites", savings(zeroCopy));
        ArrayNode sites = out.putArray("sites");
        int rank = 1;
        for (Row r : ranked) {
            sites.add(r.json(rank++));
        }
        ArrayNode tally = out.putArray("reasons");
        reasons.values().stream().sorted(Comparator.comparingLong((Tally t) -> -t.bytes)
                .thenComparingLong(t -> -t.sites).thenComparingLong(t -> -t.calls))
                .forEach(t -> tally.add(t.json()));
        out.set("files", files);
        out.set("skipped", skipped);
        return out;
    }

    private int countMode(String mode) {
        int n = 0;
        for (JsonNode f : files) {
            n += f.path("mode").asText().equals(mode) ? 1 : 0;
        }
        return n;
    }

    private ObjectNode savings(long bytes) {
        MeasuredCosts.Savings s = costs.savings(bytes);
        ObjectNode n = JSON.createObjectNode();
        n.put("bytes", bytes);
        n.put("cpuMs", Math.round(s.cpuMs()));
        n.put("writeCalls", s.writeCalls());
        n.put("readCalls", s.readCalls());
        return n;
    }

    private static long bytes(JsonNode site, String path) {
        return site.path("bytes").path(path).asLong();
    }

    private static long zeroCopy(JsonNode site) {
        return bytes(site, "sendfile") + bytes(site, "mmap") + bytes(site, "direct");
    }

    /** One call site over every file it appears in. */
    private final class Row {
        final String className;
        final String method;
        final int line;
        final String shape;
        final TreeSet<String> statuses = new TreeSet<>();
        final TreeSet<String> modes = new TreeSet<>();
        String reason;
        String wouldPath;
        int files;
        long calls;
        long original;
        long zeroCopy;
        long would;
        long wouldCalls;
        /** reason -> {calls, bytes} of the calls that kept the original code */
        final Map<String, long[]> blocked = new TreeMap<>();

        Row(JsonNode site) {
            className = site.path("class").asText();
            method = site.path("method").asText();
            line = site.path("line").asInt(-1);
            shape = site.path("shape").asText("");
        }

        void add(JsonNode site, String mode) {
            files++;
            modes.add(mode);
            String status = site.path("status").asText();
            statuses.add(status);
            if (status.equals("declined") && site.path("reason").isTextual()) {
                reason = site.path("reason").asText();
            }
            calls += site.path("calls").asLong();
            original += bytes(site, "loop");
            zeroCopy += zeroCopy(site);
            JsonNode w = site.path("wouldMove");
            would += w.path("bytes").asLong();
            wouldCalls += w.path("calls").asLong();
            if (w.path("path").isTextual()) {
                wouldPath = w.path("path").asText();
            }
            site.path("fallbacks").fields().forEachRemaining(e ->
                    blocked.computeIfAbsent(e.getKey(), k -> new long[2])[0] += e.getValue().asLong());
            site.path("fallbackBytes").fields().forEachRemaining(e ->
                    blocked.computeIfAbsent(e.getKey(), k -> new long[2])[1] += e.getValue().asLong());
        }

        /** The site's own reason, or the reason that kept the most bytes (then calls) on the original code. */
        String blockedBy() {
            if (reason != null) {
                return reason;
            }
            return blocked.entrySet().stream().max(Comparator.comparingLong((Map.Entry<String, long[]> e) -> e.getValue()[1])
                    .thenComparingLong(e -> e.getValue()[0])).map(Map.Entry::getKey).orElse(null);
        }

        ObjectNode json(int rank) {
            ObjectNode n = JSON.createObjectNode();
            n.put("rank", rank);
            n.put("class", className);
            n.put("method", method);
            n.put("signature", JavaSignature.of(className, method));
            n.put("line", line);
            n.put("shape", shape);
            n.put("status", String.join(" / ", statuses));
            n.put("modes", String.join(" / ", modes));
            n.put("reason", reason);
            n.put("blockedBy", blockedBy());
            // a loop declined as the class loaded runs as written, uninstrumented: its calls and bytes are not known
            n.put("measured", !statuses.equals(new TreeSet<>(List.of("declined"))));
            n.put("files", files);
            n.put("calls", calls);
            n.put("originalBytes", original);
            n.put("zeroCopyBytes", zeroCopy);
            n.put("wouldMoveCalls", wouldCalls);
            n.put("wouldMoveBytes", would);
            n.put("wouldMovePath", wouldPath);
            ObjectNode b = n.putObject("blocked");
            blocked.forEach((k, v) -> b.putObject(k).put("calls", v[0]).put("bytes", v[1]));
            n.set("rewriteWouldSave", savings(would));
            return n;
        }
    }

    /** One reason over all sites: "site" reasons keep a loop as written; "call" reasons keep single calls. */
    private static final class Tally {
        final String kind;
        final String reason;
        long sites;
        long calls;
        long bytes;

        Tally(String kind, String reason) {
            this.kind = kind;
            this.reason = reason;
        }

        void add(long calls, long bytes) {
            sites++;
            this.calls += calls;
            this.bytes += bytes;
        }

        ObjectNode json() {
            ObjectNode n = JSON.createObjectNode();
            n.put("kind", kind);
            n.put("reason", reason);
            n.put("sites", sites);
            n.put("calls", calls);
            n.put("bytes", bytes);
            return n;
        }
    }
}
