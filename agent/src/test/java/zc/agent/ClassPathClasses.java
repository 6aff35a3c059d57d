package zc.agent;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * The class files of the test class path's jars (Spring, Tomcat, Jetty, Guava, commons-io, Kotlin, Jackson...,
 * about 11,000), for the tests that hold two readings of a class file to the same answer on real classes.
 */
public final class ClassPathClasses {
    /** One class file and where it came from ({@code jar!entry}). */
    public record ClassFile(String where, byte[] bytes) {
    }

    /** Two readings over the class path: where they differ, and how often the expected one said yes and no. */
    public record Agreement(List<String> differ, int yes, int no) {
    }

    private ClassPathClasses() {
    }

    /** {@code actual} against {@code expected} on every class file of the class path. */
    public static Agreement compare(java.util.function.Predicate<byte[]> expected,
                                    java.util.function.Predicate<byte[]> actual) throws IOException {
        int yes = 0;
        int no = 0;
        List<String> differ = new ArrayList<>();
        for (ClassFile c : read(Integer.MAX_VALUE)) {
            boolean e = expected.test(c.bytes());
            if (actual.test(c.bytes()) != e) {
                differ.add(c.where());
            }
            if (e) {
                yes++;
            } else {
                no++;
            }
        }
        return new Agreement(differ, yes, no);
    }

    /** At most {@code max} class files, module-info excluded, in class-path and jar order. */
    public static List<ClassFile> read(int max) throws IOException {
        List<ClassFile> out = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (!entry.endsWith(".jar")) {
                continue;
            }
            try (JarFile jar = new JarFile(entry)) {
                for (Enumeration<JarEntry> e = jar.entries(); e.hasMoreElements() && out.size() < max; ) {
                    JarEntry c = e.nextElement();
                    if (!c.getName().endsWith(".class") || c.getName().contains("module-info")) {
                        continue;
                    }
                    try (InputStream in = jar.getInputStream(c)) {
                        out.add(new ClassFile(entry + "!" + c.getName(), in.readAllBytes()));
                    }
                }
            }
        }
        return out;
    }
}
