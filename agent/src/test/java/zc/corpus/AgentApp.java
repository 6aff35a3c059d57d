package zc.corpus;

import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/**
 * A small application for the agent's own behaviour: copies an 8 MiB file with its one copy loop, prints what it saw,
 * and with {@code jmx} reads the agent's MBean.
 */
public final class AgentApp {
    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        Path src = dir.resolve("app-source.bin");
        if (!Files.exists(src)) {
            Files.write(src, new byte[8 << 20]);
        }
        long before = syscw();
        long copied;
        try (InputStream in = new FileInputStream(src.toFile());
             OutputStream out = new FileOutputStream(dir.resolve("app-target.bin").toFile())) {
            copied = copy(in, out);
        }
        System.out.println("copied=" + copied + " syscw=" + (syscw() - before));
        if (args.length > 1 && args[1].equals("shutdown")) {
            exitWhileCopying(src);
        }
        if (args.length > 1 && args[1].equals("jmx")) {
            MBeanServer server = ManagementFactory.getPlatformMBeanServer();
            ObjectName name = new ObjectName("zc:type=Agent");
            for (int i = 0; i < 50 && !server.isRegistered(name); i++) {
                Thread.sleep(100);
            }
            System.out.println("jmx BytesSendfile=" + server.getAttribute(name, "BytesSendfile")
                    + " SitesRewritten=" + server.getAttribute(name, "SitesRewritten")
                    + " Calls=" + server.getAttribute(name, "Calls"));
            String json = (String) server.getAttribute(name, "StatsJson");
            System.out.println("jmx json " + json.contains("\"schema\": \"zc-agent-stats/2\""));
        }
    }

    /**
     * A graceful shutdown: a request still copying when the JVM is told to exit, finished by the application's own
     * shutdown hook (which waits for it) while zc's exit hook runs at the same time.
     */
    private static void exitWhileCopying(Path src) throws Exception {
        java.util.concurrent.CountDownLatch started = new java.util.concurrent.CountDownLatch(1);
        Thread request = new Thread(() -> {
            try (InputStream in = new FileInputStream(src.toFile());
                 OutputStream out = new SlowStream(java.io.OutputStream.nullOutputStream(), started)) {
                System.out.println("late copied=" + copy(in, out));
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }, "request");
        request.start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                request.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "graceful-shutdown"));
        started.await();
        System.exit(0);
    }

    /** A sink the agent keeps the loop for (an unknown filter stream), slow enough to outlast the exit hooks' start. */
    static final class SlowStream extends java.io.FilterOutputStream {
        private final java.util.concurrent.CountDownLatch started;

        SlowStream(OutputStream out, java.util.concurrent.CountDownLatch started) {
            super(out);
            this.started = started;
        }

        @Override
        public void write(byte[] b, int off, int len) throws java.io.IOException {
            started.countDown();
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            out.write(b, off, len);
        }
    }

    static long copy(InputStream in, OutputStream out) throws java.io.IOException {
        byte[] buf = new byte[8192];
        long total = 0;
        int n;
        while ((n = in.read(buf)) != -1) {
            out.write(buf, 0, n);
            total += n;
        }
        return total;
    }

    private static long syscw() throws Exception {
        return Files.readAllLines(Path.of("/proc/self/io")).stream().filter(l -> l.startsWith("syscw:"))
                .mapToLong(l -> Long.parseLong(l.substring(6).trim())).findFirst().orElse(-1);
    }
}
