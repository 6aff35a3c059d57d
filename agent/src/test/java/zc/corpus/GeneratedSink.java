package zc.corpus;

import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Issue 14, instance 5: a copy loop whose sink's static type (GenSink) has no class file its loader will serve:
 * both classes are defined from bytes by a loader that answers every resource request with nothing, as
 * generated-code and some plugin loaders do. The agent must not call GenSink "not an OutputStream".
 */
final class GeneratedSink {
    private GeneratedSink() {
    }

    static String run(Path dir, Path src) throws Exception {
        Path classes = Path.of(GeneratedSink.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        ClassLoader loader = new NoResources(classes);
        Path target = dir.resolve("generated-sink-" + ProcessHandle.current().pid());
        try (InputStream in = new FileInputStream(src.toFile()); OutputStream out = Files.newOutputStream(target)) {
            Object total = loader.loadClass("zc.corpus.gen.GenLoop").getMethod("copy", InputStream.class,
                    OutputStream.class).invoke(null, in, out);
            return "value=" + total + "|same=" + (Files.mismatch(src, target) == -1);
        } finally {
            Files.deleteIfExists(target);
        }
    }

    /** Defines zc.corpus.gen classes from the class files under {@code classes}; serves no resources. */
    private static final class NoResources extends ClassLoader {
        private final Path classes;

        NoResources(Path classes) {
            super("no-resources", ClassLoader.getPlatformClassLoader());
            this.classes = classes;
        }

        @Override
        protected Class<?> findClass(String name) throws ClassNotFoundException {
            try {
                byte[] b = Files.readAllBytes(classes.resolve(name.replace('.', '/') + ".class"));
                return defineClass(name, b, 0, b.length);
            } catch (IOException e) {
                throw new ClassNotFoundException(name, e);
            }
        }

        @Override
        public URL getResource(String name) {
            return null;
        }

        @Override
        public InputStream getResourceAsStream(String name) {
            return null;
        }
    }
}
