package zc.testkit;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * A JDK to fork test JVMs with. Tests that launch JVMs run on every major version found: the one running the
 * build (17 on these machines) and the others under /usr/lib/jvm (Temurin 25), one JDK per major version.
 */
public record Jdk(int major, Path home) {

    public Path java() {
        return home.resolve("bin").resolve("java");
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
