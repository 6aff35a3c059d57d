package zc.agent.jfr;

import zc.agent.stats.CallSite;
import zc.agent.stats.Stats;

/** Fills and commits a {@link CopyEvent} for one dispatcher call, when a recording wants it. */
public final class CopyEvents {
    private CopyEvents() {
    }

    public static CopyEvent begin() {
        CopyEvent e = new CopyEvent();
        e.begin();
        return e;
    }

    public static void commit(CopyEvent e, int siteId, String path, long bytes, String declined) {
        e.end();
        if (e.shouldCommit()) {
            CallSite site = Stats.site(siteId);
            e.className = site.className();
            e.method = site.method();
            e.line = site.line();
            e.shape = site.shape();
            e.path = path;
            e.bytes = bytes;
            e.declined = declined;
            e.commit();
        }
    }
}
