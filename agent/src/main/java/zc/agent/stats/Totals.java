package zc.agent.stats;

/** Sums over all call sites, at one instant. */
public record Totals(int seen, int rewritten, long calls, long sendfileBytes, long mmapBytes, long directBytes,
                     long loopBytes, long fallbacks) {

    public static Totals now() {
        int seen = 0;
        int rewritten = 0;
        long calls = 0;
        long sendfile = 0;
        long mmap = 0;
        long direct = 0;
        long loop = 0;
        long fallbacks = 0;
        for (int id : Stats.ids()) {
            seen++;
            rewritten += Stats.site(id).rewritten() ? 1 : 0;
            SiteCounters c = Stats.counters(id);
            calls += c.calls();
            sendfile += c.bytes(SiteCounters.Path.SENDFILE);
            mmap += c.bytes(SiteCounters.Path.MMAP);
            direct += c.bytes(SiteCounters.Path.DIRECT);
            loop += c.bytes(SiteCounters.Path.LOOP);
            for (long n : c.fallbacks().values()) {
                fallbacks += n;
            }
        }
        return new Totals(seen, rewritten, calls, sendfile, mmap, direct, loop, fallbacks);
    }
}
