package zc.session.matrix;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A veth pair into a network namespace, made with iproute2 and removed on close: the servers listen on
 * {@value #HERE} here, the clients run inside namespace {@value #NAMESPACE} ({@value #THERE}), as the receivers of
 * {@code scripts/sg-veth.sh} do. Scatter-gather is switched with ethtool on this end, the interface the servers
 * send through.
 */
final class Veth implements AutoCloseable {
    static final String NAMESPACE = "zc-matrix";
    static final String DEVICE = "zc-mx0";
    static final String PEER = "zc-mx1";
    static final String HERE = "10.204.0.1";
    static final String THERE = "10.204.0.2";

    private Veth() {
    }

    /** Why veth cannot be used here, or null. */
    static String unavailable() {
        if (!"root".equals(System.getProperty("user.name"))) {
            return "veth networks need root (a network namespace and a veth pair are created)";
        }
        for (String tool : List.of("ip", "ethtool")) {
            if (!onPath(tool)) {
                return "veth networks need " + tool + " (apt-get install iproute2 ethtool)";
            }
        }
        return null;
    }

    static Veth create() throws IOException {
        removeLeftovers();
        Veth v = new Veth();
        try {
            run("ip", "netns", "add", NAMESPACE);
            run("ip", "link", "add", DEVICE, "type", "veth", "peer", "name", PEER);
            run("ip", "link", "set", PEER, "netns", NAMESPACE);
            run("ip", "addr", "add", HERE + "/24", "dev", DEVICE);
            run("ip", "link", "set", DEVICE, "up");
            run("ip", "-n", NAMESPACE, "addr", "add", THERE + "/24", "dev", PEER);
            run("ip", "-n", NAMESPACE, "link", "set", PEER, "up");
            run("ip", "-n", NAMESPACE, "link", "set", "lo", "up");
        } catch (IOException e) {
            v.close();
            throw e;
        }
        return v;
    }

    void scatterGather(boolean on) throws IOException {
        run("ethtool", "-K", DEVICE, "sg", on ? "on" : "off");
    }

    /** The sending interface's offload features that matter here, as ethtool -k prints them. */
    String features() throws IOException {
        String all = run("ethtool", "-k", DEVICE);
        List<String> wanted = List.of("scatter-gather:", "tcp-segmentation-offload:", "generic-segmentation-offload:",
                "tx-checksumming:");
        List<String> lines = new ArrayList<>();
        for (String line : all.split("\n")) {
            String t = line.strip();
            if (wanted.stream().anyMatch(t::startsWith)) {
                lines.add(t.replace(" [fixed]", ""));
            }
        }
        return DEVICE + " (sending): " + String.join(", ", lines);
    }

    /** The command prefix that runs a process (the clients) inside the namespace. */
    static List<String> inside() {
        return List.of("ip", "netns", "exec", NAMESPACE);
    }

    @Override
    public void close() {
        removeLeftovers();
    }

    private static void removeLeftovers() {
        quietly("ip", "link", "del", DEVICE);
        quietly("ip", "netns", "del", NAMESPACE);
    }

    private static void quietly(String... cmd) {
        try {
            run(cmd);
        } catch (IOException e) {
            // nothing to remove
        }
    }

    private static boolean onPath(String tool) {
        return Arrays.stream(System.getenv().getOrDefault("PATH", "/usr/sbin:/usr/bin:/sbin:/bin").split(":"))
                .anyMatch(d -> new java.io.File(d, tool).canExecute());
    }

    static String run(String... cmd) throws IOException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        try {
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(String.join(" ", cmd) + " did not finish");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted");
        }
        if (p.exitValue() != 0) {
            throw new IOException(String.join(" ", cmd) + " failed: " + out.strip());
        }
        return out;
    }
}
