package zc.session.matrix;

import java.nio.file.Path;
import java.util.List;

/**
 * What {@code zc bench matrix} measures: every variant for every file size, client count and network, in
 * {@code rounds} interleaved rounds. A run moves about {@code bytesPerRun} (at least one request per client, at
 * most {@code maxRequests} requests).
 */
public record MatrixConfig(List<Long> sizes, List<Integer> clients, List<Network> networks, List<Variant> variants,
                           int rounds, Path java, Path agentJar, Path demosJar, Path work, long bytesPerRun,
                           long maxRequests, String serverThreads) {

    /** Requests of one run of a cell: about bytesPerRun, a multiple of the clients, capped. */
    long requests(long size, int clientCount) {
        long wanted = Math.min(maxRequests, Math.max(1, (bytesPerRun + size - 1) / size));
        return Math.max(clientCount, (wanted + clientCount - 1) / clientCount * clientCount);
    }
}
