package zc.agent.match;

/**
 * What the dispatcher must reproduce of a loop it replaces: which read method the loop calls and which condition
 * ends it. Packed with the call-site id and the buffer flag into the one int the rewritten code passes, so the
 * dispatcher needs no lookup to run the original loop exactly. {@code splitRead}: a bounded loop that reads
 * {@code remaining < buf.length ? in.read(buf, 0, (int) remaining) : in.read(buf)} (Spring's
 * {@code StreamUtils.copyRange}) rather than {@code in.read(buf, 0, (int) Math.min(buf.length, remaining))}.
 */
public record LoopShape(boolean readRange, Cond cond, boolean restoreBuffer, boolean splitRead) {

    public LoopShape(boolean readRange, Cond cond, boolean restoreBuffer) {
        this(readRange, cond, restoreBuffer, false);
    }

    /** The loop's condition on {@code n = in.read(...)}. */
    public enum Cond {
        NOT_EOF("!= -1"), NON_NEGATIVE(">= 0"), POSITIVE("> 0");

        private final String source;

        Cond(String source) {
            this.source = source;
        }

        /** The comparison as the source writes it: {@code != -1}, {@code >= 0}, {@code > 0}. */
        public String source() {
            return source;
        }

        public boolean continues(int n) {
            return switch (this) {
                case NOT_EOF -> n != -1;
                case NON_NEGATIVE -> n >= 0;
                case POSITIVE -> n > 0;
            };
        }
    }

    /** How far the site id is shifted in the packed code (the rewrite cache renumbers it). */
    public static final int SHIFT = 5;

    public int pack(int siteId) {
        return siteId << SHIFT | (readRange ? 1 : 0) | cond.ordinal() << 1 | (restoreBuffer ? 8 : 0)
                | (splitRead ? 16 : 0);
    }

    public static LoopShape unpack(int code) {
        return new LoopShape((code & 1) != 0, Cond.values()[(code >> 1) & 3], (code & 8) != 0, (code & 16) != 0);
    }

    public static int siteId(int code) {
        return code >>> SHIFT;
    }

    public String source(String total) {
        return "while ((n = in.read(buf" + (readRange ? ", 0, buf.length" : "") + ")) " + cond.source + ") "
                + "{ out.write(buf, 0, n);" + (total == null ? "" : " " + total + " += n;") + " }";
    }
}
