package zc.cli.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import zc.cli.ExitCodes;
import zc.cli.ZcException;

/**
 * The server applications of {@code zc bench startup}, built by the {@code startup-apps} module: a Spring Boot fat
 * jar (embedded Tomcat), a Jetty 12 static-file server and a JDK httpserver app with a read/write loop, each serving
 * the same folder (one 1 MiB page); and the httpserver app again with its own class-data archive: an AppCDS archive
 * ({@code -XX:ArchiveClassesAtExit}) on JDK 17, an AOT cache ({@code -XX:AOTCacheOutput}) on JDK 25.
 */
record StartupApps(Path dir, Path www) {
    /**
     * A trained class-data archive. On JDK 25 an AOT cache holds the module graph it was trained with, and the JVM
     * refuses it whole when the run's {@code --add-modules} differ ("Mismatched values for property
     * jdk.module.addmods"): {@code -javaagent} adds java.instrument, {@code -agentlib:instrument=} adds nothing. So
     * there the application's own cache (trained without an agent) serves no agent and the long form, and one trained
     * with {@code --add-modules java.instrument} serves {@code -javaagent}. A JDK 17 AppCDS archive serves all three.
     */
    record Archive(Path file, boolean withInstrument) {
    }

    static final List<String> NAMES = List.of("spring", "jetty", "httpserver", "httpserver-archived");
    static final int PAGE_BYTES = 1 << 20;

    static StartupApps find(Path dir, Path work, List<String> apps) throws IOException {
        List<String> jars = new java.util.ArrayList<>();
        if (apps.contains("spring")) {
            jars.add("zc-startup-spring.jar");
        }
        if (apps.stream().anyMatch(a -> !a.equals("spring"))) {
            jars.add("zc-startup-apps-0.1.0-SNAPSHOT.jar");
        }
        for (String jar : jars) {
            if (!Files.isRegularFile(dir.resolve(jar))) {
                throw new ZcException(ExitCodes.USAGE, "no " + jar + " in " + dir
                        + " (build it: ./mvnw -q -B package -DskipTests, or pass --apps-dir)");
            }
        }
        Path www = work.resolve("www");
        Files.createDirectories(www);
        Files.write(www.resolve("index.html"), page());
        return new StartupApps(dir, www);
    }

    /**
     * The served page: 1 MiB, above the agent's default minBytes (64 KiB), so that the first 200 goes by sendfile or
     * mmap where zc can, and the bench counts zc's first zero-copy send (its sinks' one-time set-up) too.
     */
    static byte[] page() {
        String head = "<!doctype html><title>zc</title><pre>\n";
        String tail = "</pre>\n";
        String line = "zc bench startup: one mebibyte, the same line again and again\n";
        StringBuilder b = new StringBuilder(PAGE_BYTES).append(head);
        while (b.length() + line.length() + tail.length() <= PAGE_BYTES) {
            b.append(line);
        }
        b.append(".".repeat(PAGE_BYTES - b.length() - tail.length())).append(tail);
        return b.toString().getBytes(StandardCharsets.US_ASCII);
    }

    /** The arguments after {@code java} and the agent flag that start {@code app} on a JDK of {@code major}. */
    List<String> args(String app, int major, Archive archive) {
        List<String> a = new ArrayList<>();
        switch (app) {
            case "spring" -> a.addAll(List.of("-jar", dir.resolve("zc-startup-spring.jar").toString()));
            case "jetty" -> a.addAll(List.of("-cp", appsJar() + ":" + dir.resolve("jetty-lib") + "/*",
                    "zc.startup.JettyApp"));
            case "httpserver" -> a.addAll(List.of("-cp", appsJar(), "zc.startup.HttpServerApp"));
            case "httpserver-archived" -> {
                a.addAll(useArchive(major, archive));
                a.addAll(List.of("-cp", appsJar(), "zc.startup.HttpServerApp"));
            }
            default -> throw new ZcException(ExitCodes.USAGE, "unknown app " + app + " (one of " + NAMES + ")");
        }
        a.add(www.toString());
        return a;
    }

    /**
     * Trains the httpserver app's archive on this JDK once: the app serves one request and exits, and the JVM writes
     * the archive at exit. A cached archive is used again only while the JVM maps it and it was trained with this
     * java and this very app jar (its stamp, beside it); else it is trained again. {@code withInstrument} trains a JDK
     * 25 AOT cache with java.instrument in its module graph, for the {@code -javaagent} runs ({@link Archive}).
     */
    Archive train(Path java, int major, Path work, boolean withInstrument) throws Exception {
        boolean instrument = withInstrument && major >= 25;
        Path file = work.resolve("httpserver-jdk" + major + (instrument ? "-instrument" : "")
                + (major >= 25 ? ".aot" : ".jsa"));
        Archive archive = new Archive(file, instrument);
        Path stamp = work.resolve(file.getFileName() + ".stamp");
        String trainedWith = trainedWith(java, Path.of(appsJar()));
        if (Files.isRegularFile(file) && Files.isRegularFile(stamp)
                && Files.readString(stamp).equals(trainedWith) && unusable(java, major, archive) == null) {
            return archive;
        }
        Files.deleteIfExists(stamp);
        Files.deleteIfExists(file);
        List<String> cmd = new ArrayList<>(List.of(java.toString()));
        cmd.add(major >= 25 ? "-XX:AOTCacheOutput=" + file : "-XX:ArchiveClassesAtExit=" + file);
        if (instrument) {
            cmd.addAll(List.of("--add-modules", "java.instrument"));
        }
        cmd.addAll(List.of("-Dzc.startup.exitAfterFirst=true", "-cp", appsJar(), "zc.startup.HttpServerApp",
                www.toString()));
        FirstResponse.train(cmd, work.resolve("train-jdk" + major + (instrument ? "-instrument" : "") + ".log"));
        if (!Files.isRegularFile(file)) {
            throw new ZcException(ExitCodes.FAILED, "the training run wrote no " + file);
        }
        String unusable = unusable(java, major, archive);
        if (unusable != null) {
            throw new ZcException(ExitCodes.FAILED, "the JVM cannot use the " + archiveKind(major) + " it has just "
                    + "written, " + file + ": " + unusable);
        }
        Files.writeString(stamp, trainedWith);
        return archive;
    }

    /**
     * Null when {@code java} maps the archive with the app's class path, else what it said. -Xshare:on (JDK 17) and
     * -XX:AOTMode=on (JDK 25) turn the JVM's silent fallback into an error at start: under -Xshare:auto a JDK 17
     * archive that is no archive at all is dropped without a word.
     */
    String unusable(Path java, int major, Archive archive) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(java.toString()));
        cmd.addAll(useArchive(major, archive));
        cmd.addAll(List.of(major >= 25 ? "-XX:AOTMode=on" : "-Xshare:on", "-cp", appsJar(), "-version"));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() == 0) {
            return null;
        }
        return String.join(" ", out.lines().filter(l -> !l.isBlank() && !l.contains("version")
                && !l.startsWith("OpenJDK") && !l.startsWith("Error occurred during initialization")).toList());
    }

    /**
     * What an archive was trained with: a JVM refuses an archive whose class path jar changed or moved (JDK 17: "The
     * top archive failed to load") or that another JDK wrote, and runs on without it, saying so in one line at most.
     */
    static String trainedWith(Path java, Path jar) throws IOException {
        return "java " + java.toRealPath() + "\njar " + jar.toRealPath() + " " + Files.size(jar) + " bytes, modified "
                + Files.getLastModifiedTime(jar).toMillis() + "\n";
    }

    /** The flags that use the trained archive; the AOT cache's JVMs need the module graph it was trained with. */
    static List<String> useArchive(int major, Archive archive) {
        if (major < 25) {
            return List.of("-XX:SharedArchiveFile=" + archive.file());
        }
        return archive.withInstrument() ? List.of("-XX:AOTCache=" + archive.file(), "--add-modules", "java.instrument")
                : List.of("-XX:AOTCache=" + archive.file());
    }

    static String archiveKind(int major) {
        return major >= 25 ? "AOT cache" : "AppCDS archive";
    }

    private String appsJar() {
        return dir.resolve("zc-startup-apps-0.1.0-SNAPSHOT.jar").toString();
    }
}
