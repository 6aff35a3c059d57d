package zc.proc;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NicFeaturesTest {

    @Test
    void readsTheOffloadFeaturesFromEthtoolOutput() throws Exception {
        // captured with `ethtool -k lo` on Linux 6.18
        Map<String, String> f = NicFeatures.parseEthtool(Files.readString(Path.of("src/test/resources/ethtool-k-lo.txt")));
        assertEquals("on", f.get("scatter-gather"));
        assertEquals("on [fixed]", f.get("tx-scatter-gather"));
        assertEquals("on", f.get("tx-checksumming"));
        assertEquals("on [fixed]", f.get("tx-checksum-ip-generic"));
        assertEquals("on", f.get("tcp-segmentation-offload"));
        assertEquals("on", f.get("generic-segmentation-offload"));
        assertEquals(6, f.size());
    }

    @Test
    void theIoctlSeesLoopbackScatterGatherOn() {
        NicFeatures lo = NicFeatures.fromIoctl("lo");
        assertEquals("SIOCETHTOOL ioctl", lo.source());
        assertEquals("on", lo.features().get("scatter-gather"));
        assertEquals("on", lo.features().get("tx-checksumming"));
    }
}
