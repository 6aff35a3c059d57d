package zc.testkit;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.opentest4j.TestAbortedException;

/**
 * A JDK to fork test JVMs with. Tests that launch JVMs run on every major version found: the one running the
 * build (17 on these machines) and the others under /usr/lib/jvm (Temurin 25), one JDK per major version.
 * JDK 21 only for the tests that ask for it ({@link #withJdk21()}).
 */
public record Jdk(int major, Path home) {

    /**
     * Where scripts/ci/install-jdk21 puts its private JDK 21 (Debian 12 has no package for it), outside
     * /usr/lib/jvm so that {@link #installed()} does not run every forked test on it too.
     */
    public static final Path JDK21_HOME = Path.of(System.getenv().getOrDefault("ZC_JDK21_HOME", "/opt/zc-jdk21"));

    /** The java launcher; a JDK that is not installed aborts the test that forks it (reported skipped, saying why). */
    public Path java() {
        Path java = home.resolve("bin").resolve("java");
        if (!Files.isExecutable(java)) {
            throw new TestAbortedException("JDK " + major + " is not installed at " + home
                    + (major == 21 ? " (scripts/ci/install-jdk21 installs it)" : ""));
        }
        return java;
    }

    @Override
    public String toString() {
        return "jdk" + major;
    }

    /** The running JDK first, then one JDK per other major version (17 or newer) under /usr/lib/jvm. */
    public static List<Jdk> installed() {
        Map<Integer, Jdk> byMajor = new TreeMap<>();
        Jdk current = new Jdk(Runtime.version().feature(), Path.of(System.getProperty("java.home")));
        byMajor.put(current.major, current);
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(Path.of("/usr/lib/jvm"))) {
            for (Path dir : dirs) {
                Integer major = majorOf(dir);
                if (major != null && major >= 17 && Files.isExecutable(dir.resolve("bin/java"))) {
                    byMajor.putIfAbsent(major, new Jdk(major, dir.toRealPath()));
                }
            }
        } catch (IOException e) {
            // no /usr/lib/jvm: the running JDK alone
        }
        List<Jdk> list = new ArrayList<>();
        list.add(current);
        byMajor.values().stream().filter(j -> j.major != current.major).forEach(list::add);
        return list;
    }

    /**
     * {@link #installed()} and JDK 21, for the tests an issue asks to run on 21 as well: virtual threads (a
     * monitor pins its carrier before JDK 24, JEP 491) and sun.nio.ch.ChannelInputStream (21 differs from 17 and
     * from 25). A JDK 21 that is missing stays in the list, so the tests on it are reported skipped with the reason.
     */
    public static List<Jdk> withJdk21() {
        List<Jdk> list = installed();
        if (list.stream().noneMatch(j -> j.major == 21)) {
            Integer major = majorOf(JDK21_HOME);
            if (major != null && major != 21) {
                throw new IllegalStateException(JDK21_HOME + " holds JDK " + major + ", not 21");
            }
            list.add(new Jdk(21, JDK21_HOME));
            Jdk current = list.get(0);
            list.sort(Comparator.comparing((Jdk j) -> j != current).thenComparingInt(Jdk::major));
        }
        return list;
    }

    private static Integer majorOf(Path dir) {
        Path release = dir.resolve("release");
        if (!Files.isRegularFile(release)) {
            return null;
        }
        try (var in = Files.newBufferedReader(release)) {
            Properties p = new Properties();
            p.load(in);
            String v = p.getProperty("JAVA_VERSION", "").replace("\"", "");
            String first = v.split("[.+-]")[0];
            return first.isEmpty() ? null : Integer.parseInt(first);
        } catch (IOException | NumberFormatException e) {
            return null;
        }
    }
}
