package zc.demo.broker;

import java.util.SplittableRandom;
import java.util.zip.CRC32C;
import zc.demo.harness.Args;
import zc.demo.harness.Checksums;

/**
 * Sends {@code --count} messages of {@code --size} pseudo-random bytes (reproducible from {@code --seed}) and prints
 * their count, bytes and CRC32C, for a consumer to check against.
 *
 * <pre>
 *   java -cp zc-demos.jar zc.demo.broker.LogProducer --port P [--host 127.0.0.1] [--count 1000] [--size 4k]
 *        [--seed 1]
 * </pre>
 */
public final class LogProducer {
    private LogProducer() {
    }

    public static void main(String[] argv) {
        try {
            Args args = new Args(argv, 0);
            int count = Integer.parseInt(args.get("count", "1000"));
            int size = (int) args.size("size", 4096);
            SplittableRandom random = new SplittableRandom(Long.parseLong(args.get("seed", "1")));
            CRC32C crc = new CRC32C();
            long first = -1;
            try (BrokerClient broker = new BrokerClient(args.get("host", "127.0.0.1"),
                    Integer.parseInt(args.require("port")))) {
                for (int i = 0; i < count; i++) {
                    byte[] payload = new byte[size];
                    random.nextBytes(payload);
                    crc.update(payload);
                    long offset = broker.produce(payload);
                    first = first < 0 ? offset : first;
                }
            }
            System.out.println("produced " + count + " messages, " + (long) count * size + " bytes, "
                    + Checksums.hex(crc) + ", first offset " + first);
        } catch (Exception e) {
            System.err.println("LogProducer: " + e.getMessage());
            System.exit(1);
        }
    }
}
