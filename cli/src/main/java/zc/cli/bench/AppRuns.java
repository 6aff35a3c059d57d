package zc.cli.bench;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import zc.cli.ExitCodes;
import zc.cli.ZcException;

/**
 * The server applications' rounds of {@code zc bench startup} and their table: per JDK, application and variant
 * the medians of CPU and wall time to the first HTTP 200, their per-round ratio to the same application without an
 * agent, and zc's CPU above the no-op agent's.
 */
record AppRuns(Map<String, List<FirstResponse.Figures>> figures, List<String> jdkNames, List<String> apps) {
    /**
     * "observe" and "rewrite" use the bench's own rewrite cache, emptied when the bench starts and filled by unmeasured
     * starts before the first round: every measured run is served from it, as every start after an application's
     * first is; "rewrite, cache off" rewrites cold at every start, as the first start does (and every start where the
     * cache cannot be written).
     * Every agent is loaded with {@code -agentlib:instrument=} (AgentForm), the form for class-path applications such
     * as these, except in the two "-javaagent" rows, which show what the shorthand adds. "rewrite, hook=java" checks
     * the loaded classes with zc's Java transformer instead of its hook in C: what the hook saves.
     */
    static final List<String> VARIANTS = List.of("no agent", "no-op agent, -javaagent", "no-op agent", "observe",
            "rewrite", "rewrite, hook=java", "rewrite, cache off", "rewrite, -javaagent");

    static AppRuns measure(BenchSetup setup, List<Path> javas, StartupApps servers, List<String> apps, int rounds,
                           String agentOptions, Path cache, PrintWriter err) throws Exception {
        Path noop = GeneratedApps.noopAgent(setup.work(), err);
        List<String> jdkNames = new ArrayList<>();
        List<Integer> majors = new ArrayList<>();
        List<Archives> archives = new ArrayList<>();
        for (Path java : javas) {
            int major = major(StartupCommand.version(java));
            jdkNames.add("JDK " + major);
            majors.add(major);
            StartupApps.Archive own = null;
            StartupApps.Archive forJavaagent = null;
            if (apps.contains("httpserver-archived")) {
                err.printf("the httpserver app's %s on JDK %d: trained once, then reused%n",
                        StartupApps.archiveKind(major), major);
                err.flush();
                own = servers.train(java, major, setup.work(), false);
                forJavaagent = major >= 25 ? servers.train(java, major, setup.work(), true) : own;
            }
            archives.add(new Archives(own, forJavaagent));
        }
        // Every start after an application's first is served from the rewrite cache: one start per JDK, app and mode
        // fills it, unmeasured, so that no measured run is the one that writes it (whichever came first would be).
        err.println("filling the rewrite cache: one unmeasured start per JDK, application and mode");
        err.flush();
        for (int j = 0; j < javas.size(); j++) {
            for (String app : apps) {
                for (String mode : List.of("observe", "rewrite")) {
                    FirstResponse.measure(command(javas.get(j), mode, setup, noop, agentOptions, cache, servers, app,
                            majors.get(j), archives.get(j)), setup.work().resolve("startup-" + app + ".log"));
                }
            }
        }
        Map<String, List<FirstResponse.Figures>> figures = new LinkedHashMap<>();
        for (int r = 0; r < rounds; r++) {
            for (int j = 0; j < javas.size(); j++) {
                for (String app : apps) {
                    for (int k = 0; k < VARIANTS.size(); k++) {
                        String variant = VARIANTS.get((r + k) % VARIANTS.size());
                        List<String> cmd = command(javas.get(j), variant, setup, noop, agentOptions, cache, servers,
                                app, majors.get(j), archives.get(j));
                        Path log = setup.work().resolve("startup-" + app + ".log");
                        figures.computeIfAbsent(key(jdkNames.get(j), app, variant), x -> new ArrayList<>())
                                .add(FirstResponse.measure(cmd, log));
                        StartupApps.Archive used = archives.get(j).of(variant);
                        check(Files.readString(log), app, variant, jdkNames.get(j),
                                used == null ? null : used.file(), log);
                    }
                }
            }
            err.printf("round %d/%d%n", r + 1, rounds);
            err.flush();
        }
        return new AppRuns(figures, jdkNames, apps);
    }

    private static List<String> command(Path java, String variant, BenchSetup setup, Path noop, String agentOptions,
                                        Path cache, StartupApps servers, String app, int major,
                                        Archives archives) {
        List<String> cmd = new ArrayList<>(List.of(java.toString()));
        cmd.addAll(agentFlag(variant, setup.agentJar(), noop, agentOptions, cache));
        cmd.addAll(servers.args(app, major, archives.of(variant)));
        return cmd;
    }

    /**
     * A JDK's archives of the httpserver app (null where the bench runs no archived app): the application's own, and
     * the one its {@code -javaagent} runs use (StartupApps.Archive).
     */
    private record Archives(StartupApps.Archive own, StartupApps.Archive forJavaagent) {
        StartupApps.Archive of(String variant) {
            return variant.endsWith(", -javaagent") ? forJavaagent : own;
        }
    }

    /**
     * A run that did not measure what its row says fails the bench: zc that refused or disabled itself (its row would
     * show a JVM without zc), or the archived app's JVM that did not use its archive (the row would show no archive).
     */
    static void check(String output, String app, String variant, String jdk, Path archive, Path log) {
        String where = app + " on " + jdk;
        String refused = zc(variant) ? LaunchChecks.agentRefusal(output) : null;
        if (refused != null) {
            throw new ZcException(ExitCodes.FAILED, "the agent did not load in the " + variant + " run of " + where
                    + ": " + refused.strip() + " (see " + log + ")");
        }
        String unused = app.equals("httpserver-archived") ? LaunchChecks.archiveFailure(output) : null;
        if (unused != null) {
            throw new ZcException(ExitCodes.FAILED, "the JVM did not use " + archive + " in the " + variant + " run of "
                    + where + ": " + unused.strip() + " (see " + log + ")");
        }
    }

    static List<String> agentFlag(String variant, Path zc, Path noop, String agentOptions, Path cache) {
        String extra = agentOptions.isBlank() ? "" : "," + agentOptions;
        AgentForm form = variant.endsWith(", -javaagent") ? AgentForm.JAVAAGENT : AgentForm.AGENTLIB;
        return switch (variant) {
            case "no agent" -> List.of();
            case "no-op agent", "no-op agent, -javaagent" -> List.of(form.flag(noop, ""));
            case "rewrite, cache off" -> List.of(form.flag(zc, "mode=rewrite,cache=off" + extra));
            case "rewrite, -javaagent" -> List.of(form.flag(zc, "mode=rewrite,cache=" + cache + extra));
            case "rewrite, hook=java" -> List.of(form.flag(zc, "mode=rewrite,cache=" + cache + ",hook=java" + extra));
            default -> List.of(form.flag(zc, "mode=" + variant + ",cache=" + cache + extra));
        };
    }

    /** Whether the variant runs zc. */
    static boolean zc(String variant) {
        return !variant.equals("no agent") && !variant.startsWith("no-op agent");
    }

    /** The no-op agent loaded the same way as {@code variant}: zc's own part is what it adds to that. */
    private static String floor(String variant) {
        return variant.endsWith(", -javaagent") ? "no-op agent, -javaagent" : "no-op agent";
    }

    /**
     * Per JDK a table: medians of CPU and wall time to the first 200, and against the same application without an
     * agent the median of the per-round ratios and differences (each round runs every variant back to back, so a
     * ratio compares runs made side by side). "zc above the no-op agent" is the median per-round CPU difference to
     * the no-op agent loaded the same way: what zc adds to the floor that any agent loaded that way costs.
     */
    String markdown() {
        StringBuilder md = new StringBuilder();
        for (String jdk : jdkNames) {
            md.append("#### ").append(jdk).append("\n\n");
            md.append("Agents loaded with `-agentlib:instrument=` except in the rows marked `-javaagent`; \"zc above "
                    + "the no-op agent\" is against the no-op agent loaded the same way. CPU and wall: medians of the "
                    + "rounds; \"vs no agent\" and \"zc above\": medians of the per-round ratios and differences. "
                    + "CPU in 10 ms ticks of /proc.");
            if (apps.contains("httpserver-archived") && feature(jdk) >= 25) {
                md.append(" The AOT cache's `-javaagent` rows use a cache trained with `--add-modules "
                        + "java.instrument` (the JVM refuses the application's own under `-javaagent`), the other "
                        + "rows the application's own.");
            }
            md.append("\n\n");
            md.append("| application | variant | CPU to first 200 (median) | vs no agent "
                    + "| zc above the no-op agent (CPU) | wall to first 200 (median) | vs no agent |\n"
                    + "|---|---|---|---|---|---|---|\n");
            for (String app : apps) {
                List<FirstResponse.Figures> base = figures.get(key(jdk, app, "no agent"));
                for (String variant : VARIANTS) {
                    List<FirstResponse.Figures> noop = figures.get(key(jdk, app, floor(variant)));
                    List<FirstResponse.Figures> f = figures.get(key(jdk, app, variant));
                    boolean zc = zc(variant);
                    md.append(String.format(Locale.ROOT, "| %s | %s | %.0f ms | %s | %s | %.0f ms | %s |%n",
                            label(app, jdk), variant, median(f, true), versus(f, base, variant, true),
                            zc ? String.format(Locale.ROOT, "%+.0f ms", medianDifference(f, noop, true)) : "",
                            median(f, false), versus(f, base, variant, false)));
                }
            }
            md.append('\n');
        }
        return md.toString();
    }

    private static String versus(List<FirstResponse.Figures> f, List<FirstResponse.Figures> base, String variant,
                                 boolean cpu) {
        if (variant.equals("no agent")) {
            return "";
        }
        List<Long> ratios = new ArrayList<>();
        for (int r = 0; r < Math.min(f.size(), base.size()); r++) {
            ratios.add(Math.round(value(f.get(r), cpu) / value(base.get(r), cpu) * 1_000_000));
        }
        return String.format(Locale.ROOT, "%.3fx (%+.0f ms)", StartupCommand.median(ratios) / 1_000_000,
                medianDifference(f, base, cpu));
    }

    /** The median over rounds of {@code f}'s figure minus {@code base}'s in the same round, in ms. */
    private static double medianDifference(List<FirstResponse.Figures> f, List<FirstResponse.Figures> base,
                                           boolean cpu) {
        List<Long> d = new ArrayList<>();
        for (int r = 0; r < Math.min(f.size(), base.size()); r++) {
            d.add(Math.round((value(f.get(r), cpu) - value(base.get(r), cpu)) * 1000));
        }
        return StartupCommand.median(d) / 1000;
    }

    private static double value(FirstResponse.Figures x, boolean cpu) {
        return cpu ? x.cpuMillis() : x.wallMillis();
    }

    private static String label(String app, String jdk) {
        if (!app.equals("httpserver-archived")) {
            return app;
        }
        return "httpserver + " + StartupApps.archiveKind(feature(jdk));
    }

    static double median(List<FirstResponse.Figures> f, boolean cpu) {
        List<Long> v = new ArrayList<>();
        for (FirstResponse.Figures x : f) {
            v.add(Math.round(value(x, cpu) * 1000));
        }
        return StartupCommand.median(v) / 1000;
    }

    /** The feature release in a table's JDK name ("JDK 25"). */
    private static int feature(String jdkName) {
        return Integer.parseInt(jdkName.substring("JDK ".length()));
    }

    private static String key(String jdk, String app, String variant) {
        return jdk + "|" + app + "|" + variant;
    }

    /** The feature release of a {@code java -version} line such as {@code openjdk version "17.0.21" ...}. */
    static int major(String versionLine) {
        int q = versionLine.indexOf('"');
        String v = versionLine.substring(q + 1);
        String first = v.split("[.\\-+\"]")[0];
        return Integer.parseInt(first);
    }
}
