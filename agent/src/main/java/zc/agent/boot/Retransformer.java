package zc.agent.boot;

import java.io.InputStream;
import java.lang.instrument.Instrumentation;
import java.util.ArrayList;
import java.util.List;
import zc.agent.AgentOptions;
import zc.agent.match.ConstantPoolScan;
import zc.agent.stats.Stats;

/**
 * After {@code zc attach}, and at start-up on JDK 24+ where an AOT cache's classes are loaded before premain: the
 * classes loaded before the agent's transformer was registered get the same treatment. After an attach on a
 * background thread, so that attaching returns at once, in batches of 100 with a pause between them, because every
 * retransformation stops the world. At start-up within premain, before {@code main}: the application's first copies
 * must not run ahead of the rewrite (a request sent as soon as the port opened was copied by the original loop). Only
 * classes whose class file passes the constant-pool check are retransformed.
 */
final class Retransformer {
    static final int BATCH = 100;

    private Retransformer() {
    }

    static void start(Instrumentation inst, AgentOptions options, boolean attached) {
        if (!attached) {
            run(inst, options, false);
            return;
        }
        Thread t = new Thread(new Retransform(inst, options), "zc-agent-retransform");
        t.setDaemon(true);
        t.start();
    }

    private static void run(Instrumentation inst, AgentOptions options, boolean attached) {
        try {
            List<Class<?>> found = new ArrayList<>();
            for (Class<?> c : inst.getAllLoadedClasses()) {
                if (candidate(inst, options, c)) {
                    found.add(c);
                }
            }
            for (int i = 0; i < found.size(); i += BATCH) {
                List<Class<?>> batch = found.subList(i, Math.min(found.size(), i + BATCH));
                try {
                    inst.retransformClasses(batch.toArray(new Class<?>[0]));
                } catch (Throwable batchFailed) {
                    for (Class<?> c : batch) {
                        try {
                            inst.retransformClasses(c);
                        } catch (Throwable t) {
                            Stats.error("retransforming " + c.getName(), t);
                        }
                    }
                }
                if (attached) {
                    Thread.sleep(10); // the application runs meanwhile: let it between the stops
                }
            }
            if (options.log().compareTo(AgentOptions.Log.INFO) >= 0 && (attached || !found.isEmpty())) {
                System.err.println("zc-agent: " + (attached ? "attached" : "started after an AOT cache's classes")
                        + "; " + found.size() + " loaded class(es) checked again");
            }
        } catch (Throwable t) {
            Stats.error("retransforming loaded classes", t);
        }
    }

    /** The background thread's work (a class, not a lambda: no lambda bootstrap in premain). */
    /** The check after an attach, on zc's thread (at start-up it runs within premain). */
    private record Retransform(Instrumentation inst, AgentOptions options) implements Runnable {
        @Override
        public void run() {
            Retransformer.run(inst, options, true);
        }
    }

    private static boolean candidate(Instrumentation inst, AgentOptions options, Class<?> c) {
        ClassLoader loader = c.getClassLoader();
        if (loader == null || c.isArray() || c.isHidden()) {
            return false; // before getName: most classes loaded before premain are the JDK's, and naming each costs
        }
        String name = c.getName();
        if (!inst.isModifiableClass(c) || ConstantPoolScan.skipped(name.replace('.', '/')) || !options.covers(name)) {
            return false;
        }
        try (InputStream in = loader.getResourceAsStream(name.replace('.', '/') + ".class")) {
            return in != null && ConstantPoolScan.mayHoldCopyLoop(in.readAllBytes());
        } catch (Throwable unreadable) {
            return false;
        }
    }
}
