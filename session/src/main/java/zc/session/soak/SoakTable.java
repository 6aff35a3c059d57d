package zc.session.soak;

import java.util.Locale;
import java.util.Map;

/** The soak's result as Markdown, for the terminal and docs/BENCHMARKS.md. */
public final class SoakTable {
    private SoakTable() {
    }

    public static String markdown(SoakRunner.Result r, String jdk) {
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "zc bench soak: %d min %d s, %d client threads, %d appends and %d cuts "
                        + "(cut to a random length, written back) of the served files meanwhile; agent options "
                        + "mode=rewrite,strategy=S,recent=%s; JDK %s%n%n", r.duration().toMinutes(),
                r.duration().toSecondsPart(), r.clients(), r.appends(), r.cuts(), r.recent(), jdk));
        b.append("| server | whole, intact | short (source cut) | corrupt | wrong bytes of a file cut in place "
                + "(docs/agent.md, Known differences): in a whole body / in a body cut short | aborted | reset | failed "
                + "| bytes by sendfile / mmap / loop | fallbacks | agent errors "
                + "| descriptors, mappings of served files, threads: after warm-up -> after | passed |\n");
        b.append("|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (SoakRunner.ServerResult s : r.servers()) {
            Map<Download.Outcome, Long> o = s.outcomes();
            b.append(String.format(Locale.ROOT, "| %s | %,d | %,d | %,d | %,d / %,d | %,d | %,d | %,d | %s / %s / %s | %,d "
                            + "| %d | %d, %d, %d -> %d, %d, %d | %s |%n", s.strategy(), o.get(Download.Outcome.INTACT),
                    o.get(Download.Outcome.SHORT), o.get(Download.Outcome.CORRUPT),
                    o.get(Download.Outcome.CUT_CORRUPT), o.get(Download.Outcome.CUT_CORRUPT_SHORT),
                    o.get(Download.Outcome.ABORTED),
                    o.get(Download.Outcome.RESET), o.get(Download.Outcome.FAILED), mib(s.agentBytes(), "sendfile"),
                    mib(s.agentBytes(), "mmap"), mib(s.agentBytes(), "loop"), s.fallbacks(), s.agentErrors(),
                    s.baseline().descriptors(), s.baseline().mappingsOfServedFiles(), s.baseline().threads(),
                    s.after().descriptors(), s.after().mappingsOfServedFiles(), s.after().threads(),
                    s.passed() ? "yes" : "NO" + (s.alive() ? "" : " (server died)")));
        }
        return b.toString();
    }

    private static String mib(Map<String, Long> bytes, String path) {
        return String.format(Locale.ROOT, "%,.0f MiB", bytes.getOrDefault(path, 0L) / 1048576.0);
    }
}
