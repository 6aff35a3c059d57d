package zc.demo.broker;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.zip.CRC32C;
import zc.demo.harness.Args;
import zc.demo.harness.Checksums;

/**
 * Fetches records from {@code --from} until {@code --count} messages have arrived (or, without --count, up to the
 * log's end when it starts) and prints their count, bytes and CRC32C; {@code --expect crc32c:...} turns a
 * mismatch into exit status 1.
 *
 * <pre>
 *   java -cp zc-demos.jar zc.demo.broker.LogConsumer --port P [--host 127.0.0.1] [--from 0] [--count N]
 *        [--fetch 1m] [--expect crc32c:xxxxxxxx]
 * </pre>
 */
public final class LogConsumer {
    private LogConsumer() {
    }

    public static void main(String[] argv) {
        try {
            Args args = new Args(argv, 0);
            int fetchSize = (int) args.size("fetch", 1 << 20);
            long offset = Long.parseLong(args.get("from", "0"));
            long messages = 0;
            long bytes = 0;
            CRC32C crc = new CRC32C();
            try (BrokerClient broker = new BrokerClient(args.get("host", "127.0.0.1"),
                    Integer.parseInt(args.require("port")))) {
                long wanted = args.get("count", null) == null ? Long.MAX_VALUE : Long.parseLong(args.get("count", "0"));
                long end = wanted == Long.MAX_VALUE ? broker.end() : Long.MAX_VALUE;
                ByteArrayOutputStream pending = new ByteArrayOutputStream();
                while (messages < wanted && offset < end) {
                    byte[] chunk = broker.fetch(offset, fetchSize);
                    if (chunk.length == 0) {
                        Thread.sleep(10); // caught up with producers: poll
                        continue;
                    }
                    offset += chunk.length;
                    pending.write(chunk);
                    ByteBuffer records = ByteBuffer.wrap(pending.toByteArray());
                    while (records.remaining() >= 4 && records.remaining() >= 4 + records.getInt(records.position())
                            && messages < wanted) {
                        int length = records.getInt();
                        crc.update(records.array(), records.position(), length);
                        records.position(records.position() + length);
                        messages++;
                        bytes += length;
                    }
                    pending.reset();
                    pending.write(records.array(), records.position(), records.remaining());
                }
            }
            String sum = Checksums.hex(crc);
            System.out.println("consumed " + messages + " messages, " + bytes + " bytes, " + sum);
            String expected = args.get("expect", null);
            if (expected != null && !expected.equals(sum)) {
                System.err.println("LogConsumer: MISMATCH: expected " + expected + ", got " + sum);
                System.exit(1);
            }
        } catch (Exception e) {
            System.err.println("LogConsumer: " + e.getMessage());
            System.exit(1);
        }
    }
}
