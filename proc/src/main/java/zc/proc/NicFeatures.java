package zc.proc;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The offload features of a network interface that decide whether sendfile copies at all: scatter-gather lets the
 * NIC (or the loopback driver) take page cache pages by reference; checksum offload spares the CPU a pass over
 * the bytes; TSO/GSO let one call hand over 64 KiB segments. Read with {@code ethtool -k} when installed (it also
 * says which are [fixed]), else with the legacy SIOCETHTOOL ioctl.
 */
public record NicFeatures(String iface, String source, Map<String, String> features) {

    private static final List<String> KEYS = List.of("scatter-gather", "tx-scatter-gather", "tx-checksumming",
            "tx-checksum-ip-generic", "tcp-segmentation-offload", "generic-segmentation-offload");

    // Legacy ethtool commands, include/uapi/linux/ethtool.h.
    private static final int SIOCETHTOOL = 0x8946;
    private static final Map<String, Integer> IOCTL_COMMANDS = Map.of("scatter-gather", 0x18,
            "tx-checksumming", 0x16, "tcp-segmentation-offload", 0x1e, "generic-segmentation-offload", 0x23);

    /** The interface that carries traffic from this local address, or null when none owns it. */
    public static String interfaceOf(InetAddress local) throws SocketException {
        NetworkInterface nic = NetworkInterface.getByInetAddress(local);
        return nic == null ? null : nic.getName();
    }

    public static NicFeatures of(String iface) {
        try {
            return fromEthtool(iface);
        } catch (IOException | RuntimeException ethtoolMissing) {
            try {
                return fromIoctl(iface);
            } catch (RuntimeException | Error e) {
                return new NicFeatures(iface, "unavailable: " + e.getMessage(), Map.of());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new NicFeatures(iface, "unavailable: interrupted", Map.of());
        }
    }

    static NicFeatures fromEthtool(String iface) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("ethtool", "-k", iface).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("ethtool -k " + iface + " failed: " + out.strip());
        }
        return new NicFeatures(iface, "ethtool -k", parseEthtool(out));
    }

    static Map<String, String> parseEthtool(String out) {
        Map<String, String> features = new LinkedHashMap<>();
        for (String line : out.split("\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && KEYS.contains(line.substring(0, colon).trim())) {
                features.put(line.substring(0, colon).trim(), line.substring(colon + 1).trim());
            }
        }
        return features;
    }

    interface Ioctl extends Library {
        int socket(int domain, int type, int protocol) throws LastErrorException;

        int ioctl(int fd, long request, Pointer arg) throws LastErrorException;

        int close(int fd);
    }

    static NicFeatures fromIoctl(String iface) {
        Ioctl libc = Native.load("c", Ioctl.class);
        int fd = libc.socket(2 /* AF_INET */, 1 /* SOCK_STREAM */, 0);
        try (Memory ifreq = new Memory(40); Memory value = new Memory(8)) {
            Map<String, String> features = new LinkedHashMap<>();
            for (Map.Entry<String, Integer> cmd : IOCTL_COMMANDS.entrySet()) {
                ifreq.clear();
                byte[] name = iface.getBytes(StandardCharsets.US_ASCII);
                ifreq.write(0, name, 0, Math.min(name.length, 15));
                ifreq.setPointer(16, value);
                value.setInt(0, cmd.getValue());
                value.setInt(4, 0);
                libc.ioctl(fd, SIOCETHTOOL, ifreq);
                features.put(cmd.getKey(), value.getInt(4) != 0 ? "on" : "off");
            }
            return new NicFeatures(iface, "SIOCETHTOOL ioctl", features);
        } finally {
            libc.close(fd);
        }
    }
}
