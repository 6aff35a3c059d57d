package zc.agent.stats;

import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The agent's statistics as JSON ({@code schema: zc-agent-stats/2}, documented in docs/agent.md). Written by hand:
 * the agent carries no JSON library into the application.
 */
public final class StatsJson {
    private StatsJson() {
    }

    public static String render(String options, String mode) {
        StringBuilder b = new StringBuilder(4096);
        b.append("{\n  \"schema\": \"zc-agent-stats/2\",\n");
        b.append("  \"pid\": ").append(ProcessHandle.current().pid()).append(",\n");
        b.append("  \"jdk\": ").append(str(Runtime.version().toString())).append(",\n");
        b.append("  \"options\": ").append(str(options)).append(",\n");
        b.append("  \"mode\": ").append(str(mode)).append(",\n");
        // calls still running when this was written (an application's shutdown hook finishing requests): the file
        // is written again as each of them ends
        b.append("  \"running\": ").append(Stats.running()).append(",\n");
        b.append("  \"sites\": [");
        List<Integer> ids = Stats.ids();
        for (int i = 0; i < ids.size(); i++) {
            CallSite s = Stats.site(ids.get(i));
            SiteCounters c = Stats.counters(ids.get(i));
            b.append(i == 0 ? "\n" : ",\n").append("    {");
            b.append("\"id\": ").append(ids.get(i));
            b.append(", \"class\": ").append(str(s.className()));
            b.append(", \"method\": ").append(str(s.method()));
            b.append(", \"line\": ").append(s.line());
            b.append(", \"shape\": ").append(str(s.shape()));
            b.append(", \"status\": ").append(str(s.status().id()));
            b.append(", \"reason\": ").append(s.reason() == null ? "null" : str(s.reason()));
            b.append(", \"calls\": ").append(c.calls());
            b.append(", \"bytes\": {");
            SiteCounters.Path[] paths = SiteCounters.Path.values();
            for (int p = 0; p < paths.length; p++) {
                b.append(p == 0 ? "" : ", ").append(str(paths[p].id())).append(": ").append(c.bytes(paths[p]));
            }
            b.append("}, \"via\": ");
            counts(b, c.via());
            b.append(", \"fallbacks\": ");
            counts(b, c.fallbacks());
            b.append(", \"fallbackBytes\": ");
            counts(b, c.fallbackBytes());
            b.append(", \"wouldMove\": {\"path\": ").append(c.wouldPath() == null ? "null" : str(c.wouldPath()))
                    .append(", \"calls\": ").append(c.wouldCalls()).append(", \"bytes\": ").append(c.wouldBytes())
                    .append("}}");
        }
        b.append(ids.isEmpty() ? "],\n" : "\n  ],\n");
        b.append("  \"errors\": [");
        List<String> errors = Stats.errors();
        for (int i = 0; i < errors.size(); i++) {
            b.append(i == 0 ? "" : ", ").append(str(errors.get(i)));
        }
        b.append("],\n  \"process\": ").append(ProcessAtExit.json()).append("\n}\n");
        return b.toString();
    }

    private static void counts(StringBuilder b, Map<String, Long> counts) {
        b.append('{');
        Iterator<Map.Entry<String, Long>> f = counts.entrySet().iterator();
        while (f.hasNext()) {
            Map.Entry<String, Long> e = f.next();
            b.append(str(e.getKey())).append(": ").append(e.getValue()).append(f.hasNext() ? ", " : "");
        }
        b.append('}');
    }

    /** One line for stderr at exit (log=info). */
    public static String summary() {
        Totals t = Totals.now();
        return "zc-agent: " + t.seen() + " copy loop(s) seen, " + t.rewritten() + " rewritten; " + t.calls()
                + " call(s): " + t.sendfileBytes() + " bytes by sendfile, " + t.mmapBytes() + " by mmap, "
                + t.directBytes() + " by direct buffer, " + t.loopBytes() + " by the original loop (" + t.fallbacks() + " fallback(s))"
                + observed();
    }

    /** mode=observe: what a rewrite would have moved zero-copy of the original code's bytes. */
    private static String observed() {
        long calls = 0;
        long bytes = 0;
        for (int id : Stats.ids()) {
            calls += Stats.counters(id).wouldCalls();
            bytes += Stats.counters(id).wouldBytes();
        }
        return calls == 0 ? "" : "; a rewrite would move " + bytes + " of them zero-copy in " + calls + " call(s)";
    }

    static String str(String s) {
        StringBuilder b = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20 || c == '<' || c == '>' || c == '&') {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }
}
