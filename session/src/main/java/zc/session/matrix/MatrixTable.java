package zc.session.matrix;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;
import zc.session.stats.Comparison;

/**
 * The matrix as Markdown: per network and client count, each variant's medians per cell with its ratios to the
 * original loop and to hand-written transferTo, then the targets checked cell by cell.
 */
public final class MatrixTable {
    private static final String ORIGINAL = Variant.ORIGINAL.label();
    private static final String TRANSFER_TO = Variant.TRANSFER_TO.label();
    private static final String REWRITTEN = Variant.AGENT_SENDFILE.label();

    private final Map<String, Cell> cells = new LinkedHashMap<>();
    private final MatrixConfig config;
    private final long minBytes;

    public MatrixTable(MatrixConfig config, List<MatrixRun> runs, long minBytes) {
        this.config = config;
        this.minBytes = minBytes;
        Map<String, List<MatrixRun>> grouped = runs.stream().collect(Collectors.groupingBy(
                r -> key(r.network(), r.size(), r.clients(), r.variant()), LinkedHashMap::new, Collectors.toList()));
        grouped.forEach((k, v) -> {
            MatrixRun r = v.get(0);
            cells.put(k, new Cell(r.network(), r.size(), r.clients(), r.variant(), v));
        });
    }

    private static String key(String network, long size, int clients, String variant) {
        return network + "|" + size + "|" + clients + "|" + variant;
    }

    private Cell cell(String network, long size, int clients, String variant) {
        return cells.get(key(network, size, clients, variant));
    }

    /** The tables, one per network and client count. */
    public String tables() {
        StringBuilder md = new StringBuilder();
        for (Network n : config.networks()) {
            for (int clients : config.clients()) {
                md.append("#### ").append(n.label()).append(", ").append(clients)
                        .append(clients == 1 ? " client" : " concurrent clients").append("\n\n");
                md.append("| size | variant | MB/s | CPU ms/GiB | write syscalls/GiB | context switches/GiB |\n");
                md.append("|---|---|--:|--:|--:|--:|\n");
                for (long size : config.sizes()) {
                    for (Variant v : config.variants()) {
                        Cell c = cell(n.label(), size, clients, v.label());
                        if (c != null) {
                            md.append(row(c)).append('\n');
                        }
                    }
                }
                md.append('\n');
            }
        }
        return md.toString();
    }

    private String row(Cell c) {
        Cell orig = cell(c.network(), c.size(), c.clients(), ORIGINAL);
        Cell tt = cell(c.network(), c.size(), c.clients(), TRANSFER_TO);
        boolean vsOrig = orig != null && !c.variant().equals(ORIGINAL);
        boolean vsTt = tt != null && !c.variant().equals(TRANSFER_TO) && !c.variant().equals(ORIGINAL);
        String mbs = num(c.median(MatrixRun::megabytesPerSecond)) + (vsOrig ? " (" + x(ratio(c, orig, "MB/s",
                MatrixRun::megabytesPerSecond)) + ")" : "");
        List<String> cpuRatios = new ArrayList<>();
        if (vsOrig) {
            cpuRatios.add(x(ratio(c, orig, "CPU", MatrixRun::cpuMsPerGib)));
        }
        if (vsTt) {
            cpuRatios.add(x(ratio(c, tt, "CPU", MatrixRun::cpuMsPerGib)) + " tT");
        }
        String cpu = num(c.median(MatrixRun::cpuMsPerGib)) + (cpuRatios.isEmpty() ? "" : " ("
                + String.join(", ", cpuRatios) + ")");
        String syscw = num(c.median(MatrixRun::syscwPerGib));
        List<String> sysRatios = new ArrayList<>();
        if (vsOrig) {
            sysRatios.add(x(ratio(c, orig, "syscw", MatrixRun::syscwPerGib)));
        }
        if (vsTt) {
            sysRatios.add(String.format(Locale.ROOT, "%+.0f tT", c.median(MatrixRun::syscwPerGib)
                    - tt.median(MatrixRun::syscwPerGib)));
        }
        if (!sysRatios.isEmpty()) {
            syscw += " (" + String.join(", ", sysRatios) + ")";
        }
        String ctx = num(c.median(MatrixRun::contextSwitchesPerGib)) + (vsOrig ? " ("
                + x(ratio(c, orig, "ctx", MatrixRun::contextSwitchesPerGib)) + ")" : "");
        String variant = c.variant().equals(REWRITTEN) || c.variant().equals(Variant.AGENT_MMAP.label())
                ? "**" + c.variant() + "**" : c.variant();
        return "| " + size(c.size()) + " | " + variant + " | " + mbs + " | " + cpu + " | " + syscw + " | " + ctx
                + " |";
    }

    /** The targets of the benchmark issue, each checked on every cell it covers. */
    public List<Target> targets() {
        List<Target> out = new ArrayList<>();
        List<String> cpuMisses = new ArrayList<>();
        List<String> sysMisses = new ArrayList<>();
        double worstCpu = 1;
        double worstSys = 0;
        for (Cell c : cellsOf(REWRITTEN)) {
            Cell tt = cell(c.network(), c.size(), c.clients(), TRANSFER_TO);
            if (tt == null || c.size() < minBytes) {
                continue;
            }
            double cpu = ratio(c, tt, "CPU", MatrixRun::cpuMsPerGib).ratio();
            double sys = c.median(MatrixRun::syscwPerGib) - tt.median(MatrixRun::syscwPerGib);
            worstCpu = Math.abs(cpu - 1) > Math.abs(worstCpu - 1) ? cpu : worstCpu;
            worstSys = Math.abs(sys) > Math.abs(worstSys) ? sys : worstSys;
            if (Math.abs(cpu - 1) > 0.05) {
                cpuMisses.add(where(c) + " " + x(cpu));
            }
            if (Math.abs(sys) > 10) {
                sysMisses.add(where(c) + String.format(Locale.ROOT, " %+.0f", sys));
            }
        }
        out.add(new Target("rewritten vs hand-written transferTo: sender CPU per GiB within 5% (files >= "
                + size(minBytes) + ", where the rewrite applies)", cpuMisses, "worst " + x(worstCpu)));
        out.add(new Target("rewritten vs hand-written transferTo: write syscalls per GiB within 10", sysMisses,
                String.format(Locale.ROOT, "worst %+.1f", worstSys)));

        List<String> sys100 = new ArrayList<>();
        List<String> ctx4 = new ArrayList<>();
        for (Cell c : cellsOf(REWRITTEN)) {
            Cell orig = cell(c.network(), c.size(), c.clients(), ORIGINAL);
            if (orig == null || c.size() < (1 << 20)) {
                continue;
            }
            double sys = ratio(c, orig, "syscw", MatrixRun::syscwPerGib).ratio();
            double ctx = ratio(c, orig, "ctx", MatrixRun::contextSwitchesPerGib).ratio();
            Cell tt = cell(c.network(), c.size(), c.clients(), TRANSFER_TO);
            if (sys > 0.01) {
                sys100.add(where(c) + " " + x(sys) + reference(tt, orig, MatrixRun::syscwPerGib));
            }
            if (ctx > 0.25) {
                ctx4.add(where(c) + " " + x(ctx) + reference(tt, orig, MatrixRun::contextSwitchesPerGib));
            }
        }
        out.add(new Target("rewritten vs original, files >= 1 MiB: at least 100x fewer write syscalls per GiB",
                sys100, null));
        out.add(new Target("rewritten vs original, files >= 1 MiB: at least 4x fewer context switches per GiB", ctx4,
                null));

        List<String> tput = new ArrayList<>();
        List<String> cpu = new ArrayList<>();
        boolean sgOn = false;
        for (Cell c : cellsOf(REWRITTEN)) {
            Cell orig = cell(c.network(), c.size(), c.clients(), ORIGINAL);
            if (orig == null || c.size() < (1 << 20) || !c.network().equals(Network.VETH_SG_ON.label())) {
                continue;
            }
            sgOn = true;
            double t = ratio(c, orig, "MB/s", MatrixRun::megabytesPerSecond).ratio();
            double u = ratio(c, orig, "CPU", MatrixRun::cpuMsPerGib).ratio();
            Cell tt = cell(c.network(), c.size(), c.clients(), TRANSFER_TO);
            if (t < 1.3) {
                tput.add(where(c) + " " + x(t) + reference(tt, orig, MatrixRun::megabytesPerSecond));
            }
            if (u > 0.7) {
                cpu.add(where(c) + " " + x(u) + reference(tt, orig, MatrixRun::cpuMsPerGib));
            }
        }
        if (sgOn) {
            out.add(new Target("veth, scatter-gather on, files >= 1 MiB: at least 1.3x the original's throughput",
                    tput, null));
            out.add(new Target("veth, scatter-gather on, files >= 1 MiB: at most 0.7x the original's sender CPU per "
                    + "GiB", cpu, null));
        }

        List<String> slower = new ArrayList<>();
        for (String variant : List.of(REWRITTEN, Variant.AGENT_MMAP.label())) {
            for (Cell c : cellsOf(variant)) {
                Cell orig = cell(c.network(), c.size(), c.clients(), ORIGINAL);
                if (orig == null) {
                    continue;
                }
                Comparison t = ratio(c, orig, "MB/s", MatrixRun::megabytesPerSecond);
                if (t.high() < 1) {
                    slower.add(variant + " " + where(c) + " " + x(t.ratio()) + " [" + x(t.low()) + ", "
                            + x(t.high()) + "]");
                }
            }
        }
        out.add(new Target("never slower: no rewritten cell's throughput below the original's (slower = the "
                + "95% interval of the paired ratio lies below 1)", slower, null));
        return out;
    }

    /** A target and the cells that miss it. */
    public record Target(String what, List<String> misses, String detail) {
        public boolean met() {
            return misses.isEmpty();
        }

        public String markdown() {
            return "- " + (met() ? "**met**" : "**missed**") + ": " + what
                    + (detail != null ? " (" + detail + ")" : "")
                    + (met() ? "" : ". Missed in: " + String.join("; ", misses));
        }
    }

    /** What hand-written transferTo reached in the same cell, to tell the agent's misses from the workload's. */
    private static String reference(Cell tt, Cell orig, ToDoubleFunction<MatrixRun> f) {
        return tt == null ? "" : " (transferTo " + x(ratio(tt, orig, "", f)) + ")";
    }

    private List<Cell> cellsOf(String variant) {
        return cells.values().stream().filter(c -> c.variant().equals(variant)).toList();
    }

    private static String where(Cell c) {
        return c.network() + " " + size(c.size()) + " x" + c.clients();
    }

    private static Comparison ratio(Cell c, Cell base, String metric, ToDoubleFunction<MatrixRun> f) {
        return c.against(base, metric, f);
    }

    private static String x(Comparison c) {
        return x(c.ratio());
    }

    static String x(double ratio) {
        if (Double.isInfinite(ratio)) {
            return "inf";
        }
        return (ratio >= 10 ? String.format(Locale.ROOT, "%.0f", ratio)
                : ratio >= 0.1 ? String.format(Locale.ROOT, "%.2f", ratio)
                : String.format(Locale.ROOT, "%.2g", ratio)) + "x";
    }

    static String num(double v) {
        return v >= 100 ? String.format(Locale.ROOT, "%,.0f", v) : String.format(Locale.ROOT, "%.1f", v);
    }

    /** 4096 -> "4 KiB", 1073741824 -> "1 GiB". */
    public static String size(long bytes) {
        String[] units = {"B", "KiB", "MiB", "GiB"};
        int u = 0;
        long v = bytes;
        while (u < units.length - 1 && v >= 1024 && v % 1024 == 0) {
            v /= 1024;
            u++;
        }
        return v + " " + units[u];
    }
}
