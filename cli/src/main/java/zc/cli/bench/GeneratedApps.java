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
 * The applications of {@code zc bench startup}, generated and compiled once: {@code Hello} prints the time its main
 * starts; {@code LoadAll} also loads {@code C0..C4999}, every tenth with a copy loop so the agent parses it.
 */
final class GeneratedApps {
    private GeneratedApps() {
    }

    static Path ensure(Path dir, int classes, PrintWriter progress) throws IOException {
        Path out = dir.resolve("classes-" + classes);
        if (Files.isRegularFile(out.resolve("LoadAll.class"))) {
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
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        if (javac == null) {
            throw new ZcException(ExitCodes.UNSUPPORTED, "zc bench needs a JDK (javax.tools), not a JRE");
        }
        progress.println("compiling " + files.size() + " generated classes (once) ...");
        progress.flush();
        List<String> args = new ArrayList<>(List.of("-d", out.toString(), "-g", "--release", "17"));
        args.addAll(files);
        if (javac.run(null, null, null, args.toArray(String[]::new)) != 0) {
            throw new ZcException(ExitCodes.FAILED, "compiling the generated benchmark apps failed");
        }
        return out;
    }

    private static String write(Path src, String name, String code) throws IOException {
        Path f = src.resolve(name + ".java");
        Files.writeString(f, code);
        return f.toString();
    }
}
