package zc.cli.bench;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import zc.cli.ExitCodes;
import zc.cli.ZcException;

/**
 * The applications of {@code zc bench}, generated and compiled once: {@code Hello} prints the time its main starts;
 * {@code LoadAll} also loads {@code C0..C4999}, every tenth with a copy loop so the agent parses it; {@code Work}
 * runs a fixed workload without any copy loop. Also the no-op agent, the floor of any Java agent's start-up cost: a
 * {@code -javaagent} jar whose transformer returns at once for every class.
 */
final class GeneratedApps {
    private GeneratedApps() {
    }

    static Path ensure(Path dir, int classes, PrintWriter progress) throws IOException {
        Path out = dir.resolve("classes-" + classes);
        if (Files.isRegularFile(out.resolve("LoadAll.class")) && Files.isRegularFile(out.resolve("Work.class"))) {
            return out;
        }
        Path src = dir.resolve("src-" + classes);
        Files.createDirectories(src);
        Files.createDirectories(out);
        List<String> files = new ArrayList<>();
        files.add(write(src, "Hello", """
                public class Hello {
                    public static void main(String[] a) {
                        System.out.println("main " + System.nanoTime());
                    }
                }
                """));
        files.add(write(src, "Work", """
                import java.nio.ByteBuffer;
                import java.nio.channels.FileChannel;
                import java.nio.file.Files;
                import java.nio.file.Path;
                import java.nio.file.StandardOpenOption;
                import java.security.MessageDigest;
                import java.util.Random;

                /** A workload with no copy loop: hashing, channel I/O, allocation. */
                public class Work {
                    public static void main(String[] a) throws Exception {
                        System.out.println("main " + System.nanoTime());
                        long t0 = System.nanoTime();
                        byte[] block = new byte[1 << 20];
                        new Random(1).nextBytes(block);
                        MessageDigest md = MessageDigest.getInstance("SHA-256");
                        for (int i = 0; i < 256; i++) {
                            md.update(block);
                        }
                        Path f = Files.createTempFile("zc-bench", ".bin");
                        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.WRITE)) {
                            for (int i = 0; i < 128; i++) {
                                ch.write(ByteBuffer.wrap(block));
                            }
                        }
                        long read = Files.readAllBytes(f).length;
                        Files.delete(f);
                        StringBuilder sb = new StringBuilder();
                        for (int i = 0; i < 2_000_000; i++) {
                            sb.append(i).append(',');
                        }
                        System.out.println("phase " + (System.nanoTime() - t0));
                        System.out.println("done " + md.digest()[0] + " " + read + " " + sb.length());
                    }
                }
                """));
        StringBuilder names = new StringBuilder();
        for (int i = 0; i < classes; i++) {
            String body = i % 10 == 0 ? """
                        public static long copy(java.io.InputStream in, java.io.OutputStream out)
                                throws java.io.IOException {
                            byte[] buf = new byte[8192];
                            long total = 0;
                            int n;
                            while ((n = in.read(buf)) != -1) {
                                out.write(buf, 0, n);
                                total += n;
                            }
                            return total;
                        }
                    """ : """
                        public static int f(int x) {
                            return x * 31 + %d;
                        }
                    """.formatted(i);
            files.add(write(src, "C" + i, "public class C" + i + " {\n" + body + "}\n"));
            names.append("\"C").append(i).append("\",");
        }
        files.add(write(src, "LoadAll", """
                public class LoadAll {
                    static final String[] NAMES = {%s};
                    public static void main(String[] a) throws Exception {
                        System.out.println("main " + System.nanoTime());
                        long t0 = System.nanoTime();
                        for (String n : NAMES) {
                            Class.forName(n);
                        }
                        System.out.println("phase " + (System.nanoTime() - t0));
                    }
                }
                """.formatted(names)));
        progress.println("compiling " + files.size() + " generated classes (once) ...");
        progress.flush();
        compile(files, out);
        return out;
    }

    static Path noopAgent(Path dir, PrintWriter progress) throws IOException {
        Path jar = dir.resolve("noop-agent.jar");
        if (Files.isRegularFile(jar)) {
            return jar;
        }
        Path src = dir.resolve("src-noop");
        Path out = dir.resolve("classes-noop");
        Files.createDirectories(src);
        Files.createDirectories(out);
        String file = write(src, "NoopAgent", """
                import java.lang.instrument.ClassFileTransformer;
                import java.lang.instrument.Instrumentation;
                import java.security.ProtectionDomain;

                /** Registers a transformer that sees every class and changes none. */
                public class NoopAgent implements ClassFileTransformer {
                    public static void premain(String options, Instrumentation inst) {
                        inst.addTransformer(new NoopAgent(), true);
                    }

                    @Override
                    public byte[] transform(ClassLoader loader, String name, Class<?> c, ProtectionDomain pd,
                                            byte[] bytes) {
                        return null;
                    }
                }
                """);
        progress.println("compiling the no-op agent (once) ...");
        progress.flush();
        compile(List.of(file), out);
        java.util.jar.Manifest m = new java.util.jar.Manifest();
        m.getMainAttributes().put(java.util.jar.Attributes.Name.MANIFEST_VERSION, "1.0");
        m.getMainAttributes().putValue("Premain-Class", "NoopAgent");
        m.getMainAttributes().putValue("Can-Retransform-Classes", "true");
        Path tmp = dir.resolve("noop-agent.jar.tmp");
        try (java.util.jar.JarOutputStream j = new java.util.jar.JarOutputStream(Files.newOutputStream(tmp), m)) {
            j.putNextEntry(new java.util.jar.JarEntry("NoopAgent.class"));
            j.write(Files.readAllBytes(out.resolve("NoopAgent.class")));
            j.closeEntry();
        }
        Files.move(tmp, jar, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        return jar;
    }

    /** Compiles generated sources into {@code out}, for Java 17. */
    static void compile(List<String> files, Path out) {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        if (javac == null) {
            throw new ZcException(ExitCodes.UNSUPPORTED, "zc bench needs a JDK (javax.tools), not a JRE");
        }
        List<String> args = new ArrayList<>(List.of("-d", out.toString(), "-g", "--release", "17"));
        args.addAll(files);
        if (javac.run(null, null, null, args.toArray(String[]::new)) != 0) {
            throw new ZcException(ExitCodes.FAILED, "compiling the generated benchmark apps failed");
        }
    }

    /** One class {@code name} from {@code code}, compiled into {@code out} unless it is there already. */
    static Path compileOnce(Path out, String name, String code) throws IOException {
        if (!Files.isRegularFile(out.resolve(name + ".class"))) {
            Files.createDirectories(out);
            compile(List.of(write(out, name, code)), out);
        }
        return out;
    }

    static String write(Path src, String name, String code) throws IOException {
        Path f = src.resolve(name + ".java");
        Files.writeString(f, code);
        return f.toString();
    }
}
