package zc.demo.harness;

import java.util.Map;
import zc.proc.Counters;

/**
 * What one side of a demo run reports, printed as one {@code ZC-RESULT} JSON line on stdout.
 *
 * @param role     {@code sender}, {@code receiver}, or {@code target} (the copied file, checked after a file demo)
 * @param bytes    bytes sent, received, or found in the target file
 * @param checksum CRC32C of those bytes
 * @param counters the cost of the transfer alone (connection set-up and checksumming of the file excluded);
 *                 null for {@code target}
 * @param sources  where each counter comes from
 * @param details  strategy facts: buffer size, interface features, bytes the receiver confirmed...
 */
public record RunResult(String role, String strategy, long bytes, String checksum, Counters counters,
                        Map<String, String> sources, Map<String, Object> details) {
}
