package zc.agent.match;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.MethodNode;

/**
 * The finders on the copy loops of real libraries: the class bytes as published on Maven Central, read from the
 * jars on the test class path. Each loop must be found rewritable with the shape the library's source has.
 */
class LibraryLoopsTest {
    private static final CopyLoopFinder.StreamTypes STREAMS = new CopyLoopFinder.StreamTypes() {
        public boolean isInputStream(String n) {
            return n.equals("java/io/InputStream");
        }

        public boolean isOutputStream(String n) {
            return n.equals("java/io/OutputStream") || n.equals("jakarta/servlet/ServletOutputStream");
        }
    };

    @Test
    void jettyIoCopyWhileTrueWithBreakReadingAConstantLength() throws Exception {
        CopyLoopFinder.Rewritable r = rewritable("org.eclipse.jetty.util.IO", "copy",
                "(Ljava/io/InputStream;Ljava/io/OutputStream;J)V");
        // the bounded branch before it loads the same buffer: zc cannot prove it dead, so it restores its contents
        assertEquals(new LoopShape(true, LoopShape.Cond.NON_NEGATIVE, true), r.shape());
        assertEquals("while (true) { n = in.read(buf, 0, 65536); if (n < 0) break; out.write(buf, 0, n); }",
                r.source());
        assertNotNull(r.chunk());
    }

    @ParameterizedTest
    @ValueSource(strings = {"jetty-util-10.0.26.jar", "jetty-util-12.0.30.jar"})
    void jettyIoCopyInLaterReleases(String jar) throws Exception {
        ClassNode c = new ClassNode();
        try (JarFile j = new JarFile(Path.of("target", "library-jars", jar).toFile());
             InputStream in = j.getInputStream(j.getEntry("org/eclipse/jetty/util/IO.class"))) {
            new ClassReader(in).accept(c, 0);
        }
        MethodNode m = c.methods.stream().filter(x -> x.name.equals("copy")
                && x.desc.equals("(Ljava/io/InputStream;Ljava/io/OutputStream;J)V")).findFirst().orElseThrow();
        List<CopyLoopFinder.Found> loops = CopyLoopFinder.find(c.name, m, STREAMS);
        assertEquals(1, loops.size(), loops.toString());
        assertEquals(new LoopShape(true, LoopShape.Cond.NON_NEGATIVE, true),
                assertInstanceOf(CopyLoopFinder.Rewritable.class, loops.get(0)).shape());
        List<BoundedLoopFinder.Bounded> bounded = BoundedLoopFinder.find(c.name, m, STREAMS);
        assertEquals(1, bounded.size());
        assertEquals(65536L, BoundedLoopFinder.Match.intConstant(bounded.get(0).chunk()));
    }

    @Test
    void jettyIoCopyWithACountTakesItBeforeTheWrite() throws Exception {
        MethodNode m = method("org.eclipse.jetty.util.IO", "copy", "(Ljava/io/InputStream;Ljava/io/OutputStream;J)V");
        List<BoundedLoopFinder.Bounded> found = BoundedLoopFinder.find("org/eclipse/jetty/util/IO", m, STREAMS);
        assertEquals(1, found.size());
        assertEquals(new LoopShape(true, LoopShape.Cond.NOT_EOF, true), found.get(0).shape());
        assertEquals(65536L, BoundedLoopFinder.Match.intConstant(found.get(0).chunk()));
    }

    @Test
    void commonsIoCopyLargeConstantOnTheLeft() throws Exception {
        CopyLoopFinder.Rewritable r = rewritable("org.apache.commons.io.IOUtils", "copyLarge",
                "(Ljava/io/InputStream;Ljava/io/OutputStream;[B)J");
        assertEquals(new LoopShape(false, LoopShape.Cond.NOT_EOF, true), r.shape(), "the buffer is the caller's");
        assertEquals("J", r.totalDesc());
        assertEquals("while (-1 != (n = in.read(buf))) { out.write(buf, 0, n); total += n; }", r.source());
    }

    @Test
    void sparkIoUtilsCopyLargeConstantOnTheLeft() throws Exception {
        CopyLoopFinder.Rewritable r = rewritable("spark.utils.IOUtils", "copyLarge",
                "(Ljava/io/InputStream;Ljava/io/OutputStream;)J");
        assertEquals(new LoopShape(false, LoopShape.Cond.NOT_EOF, false), r.shape());
        assertEquals("J", r.totalDesc());
    }

    @Test
    void kotlinCopyToReadsBeforeTheLoopAndAtTheEndOfTheBody() throws Exception {
        CopyLoopFinder.Rewritable r = rewritable("kotlin.io.ByteStreamsKt", "copyTo",
                "(Ljava/io/InputStream;Ljava/io/OutputStream;I)J");
        assertEquals(new LoopShape(false, LoopShape.Cond.NON_NEGATIVE, false), r.shape());
        assertEquals("J", r.totalDesc());
        assertEquals("n = in.read(buf); while (n >= 0) { out.write(buf, 0, n); total += n; n = in.read(buf); }",
                r.source());
    }

    @Test
    void guavaByteStreamsCopyWhileTrueWithBreak() throws Exception {
        CopyLoopFinder.Rewritable r = rewritable("com.google.common.io.ByteStreams", "copy",
                "(Ljava/io/InputStream;Ljava/io/OutputStream;)J");
        // its buffer comes from createBuffer(), not a new byte[] in sight: restored to be safe
        assertEquals(new LoopShape(false, LoopShape.Cond.NOT_EOF, true), r.shape());
        assertEquals("while (true) { n = in.read(buf); if (n == -1) break; out.write(buf, 0, n); total += n; }",
                r.source());
    }

    @Test
    void httpCoreFileEntityWriteTo() throws Exception {
        CopyLoopFinder.Rewritable r = rewritable("org.apache.http.entity.FileEntity", "writeTo",
                "(Ljava/io/OutputStream;)V");
        assertEquals(new LoopShape(false, LoopShape.Cond.NOT_EOF, false), r.shape());
    }

    @Test
    void tomcatDefaultServletCopyRangeCatchesInsideTheLoop() throws Exception {
        CopyLoopFinder.Rewritable r = rewritable("org.apache.catalina.servlets.DefaultServlet", "copyRange",
                "(Ljava/io/InputStream;Ljakarta/servlet/ServletOutputStream;)Ljava/io/IOException;");
        assertEquals(new LoopShape(false, LoopShape.Cond.NOT_EOF, false), r.shape());
        assertEquals(2, r.caught().size(), "javac splits the try range around the break");
        assertEquals("java/io/IOException", r.caught().get(0).type);
    }

    @Test
    void springStreamUtilsCopyRangeSplitsItsRead() throws Exception {
        MethodNode m = method("org.springframework.util.StreamUtils", "copyRange",
                "(Ljava/io/InputStream;Ljava/io/OutputStream;JJ)J");
        List<BoundedLoopFinder.Bounded> found = BoundedLoopFinder.find("org/springframework/util/StreamUtils", m,
                STREAMS);
        assertEquals(1, found.size());
        assertEquals(new LoopShape(true, LoopShape.Cond.NOT_EOF, false, true), found.get(0).shape());
        assertEquals(BoundedLoopFinder.SPLIT_SOURCE, found.get(0).source());
    }

    @Test
    void httpCore5EntityWriteToInsideTryWithResources() throws Exception {
        CopyLoopFinder.Rewritable r = rewritable("org.apache.hc.core5.http.io.entity.AbstractHttpEntity", "writeTo",
                "(Lorg/apache/hc/core5/http/HttpEntity;Ljava/io/OutputStream;)V");
        assertEquals(new LoopShape(false, LoopShape.Cond.NOT_EOF, false), r.shape());
    }

    @Test
    void leavesLoopsOfOtherFormsAlone() throws Exception {
        // Tomcat's ranged copy reads whole buffers and stops on a short read; commons-io's ranged copyLarge
        // recomputes its read length in the body: neither is a loop zc replays
        MethodNode tomcat = method("org.apache.catalina.servlets.DefaultServlet", "copyRange",
                "(Ljava/io/InputStream;Ljakarta/servlet/ServletOutputStream;JJ)Ljava/io/IOException;");
        MethodNode commons = method("org.apache.commons.io.IOUtils", "copyLarge",
                "(Ljava/io/InputStream;Ljava/io/OutputStream;JJ[B)J");
        for (MethodNode m : List.of(tomcat, commons)) {
            assertEquals(List.of(), CopyLoopFinder.find("x", m, STREAMS).stream()
                    .filter(f -> f instanceof CopyLoopFinder.Rewritable).toList(), m.name);
            assertEquals(List.of(), BoundedLoopFinder.find("x", m, STREAMS), m.name);
            assertEquals(List.of(), BoundedLoopFinder.findFlagged("x", m, STREAMS), m.name);
        }
    }

    static CopyLoopFinder.Rewritable rewritable(String className, String name, String desc) throws Exception {
        List<CopyLoopFinder.Found> found = find(className, name, desc);
        assertEquals(1, found.size(), found.toString());
        return assertInstanceOf(CopyLoopFinder.Rewritable.class, found.get(0), found.toString());
    }

    static List<CopyLoopFinder.Found> find(String className, String name, String desc) throws Exception {
        MethodNode m = method(className, name, desc);
        return new ArrayList<>(CopyLoopFinder.find(className.replace('.', '/'), m, STREAMS));
    }

    static MethodNode method(String className, String name, String desc) throws Exception {
        ClassNode c = new ClassNode();
        try (InputStream in = ClassLoader.getSystemResourceAsStream(className.replace('.', '/') + ".class")) {
            new ClassReader(in).accept(c, 0);
        }
        return c.methods.stream().filter(m -> m.name.equals(name) && m.desc.equals(desc)).findFirst().orElseThrow();
    }
}
