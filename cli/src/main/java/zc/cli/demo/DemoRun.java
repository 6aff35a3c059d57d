package zc.cli.demo;

import zc.demo.harness.RunResult;

/**
 * One strategy run once: the sender's (or copier's) result and the receiver's (or the copied file's).
 *
 * @param integrity "ok", or what did not match
 */
record DemoRun(String strategy, int round, String integrity, RunResult sender, RunResult receiver) {

    boolean ok() {
        return "ok".equals(integrity);
    }

    /** Compares what was sent with what arrived: length on both ends, checksum on both ends, the receipt. */
    static String integrity(long fileSize, RunResult sender, RunResult receiver) {
        if (sender.bytes() != fileSize) {
            return "sender sent " + sender.bytes() + " bytes of a " + fileSize + "-byte file";
        }
        if (receiver.bytes() != sender.bytes()) {
            return "receiver got " + receiver.bytes() + " bytes, sender sent " + sender.bytes();
        }
        if (!receiver.checksum().equals(sender.checksum())) {
            return "checksum mismatch: sent " + sender.checksum() + ", received " + receiver.checksum();
        }
        Object confirmed = sender.details().get("confirmedBytes");
        if (confirmed instanceof Number n && n.longValue() != sender.bytes()) {
            return "receiver confirmed " + n + " bytes, sender sent " + sender.bytes();
        }
        return "ok";
    }
}
