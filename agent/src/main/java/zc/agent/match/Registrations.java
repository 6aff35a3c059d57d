package zc.agent.match;

import java.util.ArrayList;
import java.util.List;
import zc.agent.stats.CallSite;
import zc.agent.stats.Stats;

/**
 * The call sites registered while one class is rewritten, in order, with the constant each rewritten site's code
 * passes to the dispatcher: what the rewrite cache ({@code zc.agent.cache.RewriteCache}) needs to register them again
 * in a later JVM and renumber that constant. Not thread-safe: one per class being transformed.
 */
public final class Registrations {
    /**
     * One registered site.
     *
     * @param site  as registered
     * @param id    the id {@link Stats#register} gave it in this JVM
     * @param code  the int the rewritten code pushes ({@code id << shift | flags}), or -1 for a site left as written
     * @param shift how far the id is shifted in {@code code}: {@link LoopShape#SHIFT} or {@link Helper#SHIFT}
     */
    public record Site(CallSite site, int id, int code, int shift) {
    }

    private final List<Site> sites = new ArrayList<>();
    private boolean failed;

    /** Registers with {@link Stats}; returns the id. */
    int register(CallSite site) {
        int id = Stats.register(site);
        sites.add(new Site(site, id, -1, 0));
        return id;
    }

    /** The site registered last, {@code id}, is rewritten to pass {@code code}, packed with {@code shift}. */
    int coded(int id, int code, int shift) {
        Site last = sites.isEmpty() ? null : sites.get(sites.size() - 1);
        if (last == null || last.id() != id) {
            throw new IllegalStateException("site " + id + " was not the last registered here");
        }
        sites.set(sites.size() - 1, new Site(last.site(), id, code, shift));
        return code;
    }

    /** Something failed (and was reported): the outcome depends on more than the class file, so it is not kept. */
    void failed() {
        failed = true;
    }

    public List<Site> sites() {
        return List.copyOf(sites);
    }

    public boolean isFailed() {
        return failed;
    }
}
