package zc.demo.strategy;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.Map;
import zc.proc.NicFeatures;

/**
 * Lesson 4: sendfile with scatter-gather DMA. The same call as lesson 3; what changes is the interface. When the
 * NIC supports scatter-gather (and checksum offload, so the CPU need not read the bytes to checksum them), the
 * kernel appends only page references and lengths to the socket buffer and the NIC gathers the bytes from the page
 * cache itself:
 *
 * <pre>
 *   page cache ──DMA (gather)──> NIC           sendfile(2)  2 mode switches, 0 CPU copies
 * </pre>
 *
 * 0 CPU copies, 2 DMA copies, 1 system call. Whether it happens is a property of the sending interface, so this
 * lesson prints its features. Loopback always has scatter-gather and cannot switch it off; to compare, run
 * {@code scripts/sg-veth.sh} as root: it sends across a veth pair into a network namespace with scatter-gather on,
 * then off.
 */
public final class Demo04SendfileGather extends Demo03Sendfile {
    private NicFeatures nic;

    @Override
    public void connect(InetSocketAddress receiver, DemoOptions options) throws IOException {
        super.connect(receiver, options);
        InetSocketAddress local = (InetSocketAddress) socket.getLocalAddress();
        String iface = NicFeatures.interfaceOf(local.getAddress());
        nic = iface == null ? new NicFeatures("?", "no interface owns " + local.getAddress(), Map.of())
                : NicFeatures.of(iface);
    }

    @Override
    public Map<String, Object> details() {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("interface", nic.iface());
        d.put("featuresSource", nic.source());
        d.put("features", nic.features());
        return d;
    }
}
