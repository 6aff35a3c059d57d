package zc.cli.demo;

import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import zc.demo.strategy.Model;
import zc.demo.strategy.Strategy;

/** Prints the zero-copy table: the model of each strategy beside the medians measured per GiB. */
final class DemoTable {
    private static final String ROW = "%-16s %3s %3s %5s %6s | %9s %9s %9s %8s %8s %8s %8s | %8s %9s%n";

    private DemoTable() {
    }

    static void print(PrintWriter out, List<Strategy> strategies, Map<String, List<DemoRun>> runs,
                      Map<String, Map<String, Long>> census) {
        out.printf("%-16s %-20s | %-65s | %s%n", "", "model, per chunk", "sender, medians per GiB",
                "receiver per GiB");
        out.printf(ROW, "strategy", "cpu", "dma", "calls", "mode", "syscr", "syscw", "ctx-sw", "nonvol",
                "cpu ms", "min-flt", "MB/s", "cpu ms", "ctx-sw");
        out.printf(ROW, "", "cp", "cp", "", "sw", "", "", "(all)", "", "", "", "", "", "");
        for (Strategy s : strategies) {
            Model m = s.model();
            PerGib snd = PerGib.senders(runs.get(s.id()));
            PerGib rcv = PerGib.receivers(runs.get(s.id()));
            out.printf(ROW, s.id(), m.cpuCopies(), m.dmaCopies(), m.syscallsPerChunk(), m.modeSwitchesPerChunk(),
                    n(snd.syscr()), n(snd.syscw()), n(snd.contextSwitches()), n(snd.nonvoluntaryCtx()),
                    n(snd.cpuMs()), n(snd.minorFaults()), n(snd.megabytesPerSecond()),
                    rcv == null ? "-" : n(rcv.cpuMs()), rcv == null ? "-" : n(rcv.contextSwitches()));
        }
        out.println();
        out.println("model: CPU and DMA copies, system calls and user/kernel mode switches per chunk (chunk: "
                + strategies.stream().map(s -> s.id() + " = " + s.model().chunk()).collect(Collectors.joining(", "))
                + ").");
        out.println("measured: the transfer alone (JVM start-up and checksums excluded), medians over rounds, per GiB"
                + " moved; syscr/syscw from /proc/self/io,");
        out.println("  CPU, faults and context switches of all threads from getrusage(RUSAGE_SELF); splice is"
                + " invisible to syscr/syscw (see --syscalls).");
        if (!census.isEmpty()) {
            out.println();
            out.println("strace -f -c, sender from the start of the transfer to exit (separate untimed pass):");
            census.forEach((id, calls) -> out.printf("  %-16s %s%n", id, calls.entrySet().stream().limit(6)
                    .map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", "))));
        }
    }

    private static String n(double v) {
        if (Double.isNaN(v)) {
            return "-";
        }
        return v >= 100 || v == Math.rint(v) ? String.format(Locale.ROOT, "%,.0f", v)
                : String.format(Locale.ROOT, "%.1f", v);
    }
}
