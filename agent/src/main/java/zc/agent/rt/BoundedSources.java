package zc.agent.rt;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodType;

/**
 * commons-io's {@code BoundedInputStream} (2.16+, a {@code ProxyInputStream}) around a file stream zc takes: each
 * read asks its inner stream for at most {@code maxCount - count} bytes (all of them when {@code maxCount < 0}) and
 * its {@code afterRead} adds what it got to {@code count}; at the limit it calls {@code onMaxLength} and returns -1.
 * zc sends at most what is left (never a byte past the limit) and adds to {@code count} exactly what the loop's reads
 * would have; {@code mark} is not touched (reads never touch it). Only the exact class is taken (a subclass may
 * override {@code afterRead}, {@code beforeRead} or {@code onMaxLength}), and only with the builder's no-op
 * {@code onMaxCount} and {@code afterRead} consumers (2.18+), which its reads would otherwise call. Its exception
 * handler is the default, rethrowing one for this exact class in every version that has one (2.17-2.20).
 */
final class BoundedSources implements SourceFamily {
    static final String COMMONS_IO = "org.apache.commons.io.input.BoundedInputStream";
    private static final LongField COUNT = new LongField("count");
    /** Per exact BoundedInputStream class: its hooks, or why this version is not one zc knows. */
    private static final ClassValue<Object> HOOKS = new ClassValue<>() {
        @Override
        protected Object computeValue(Class<?> bounded) {
            try {
                return new Hooks(bounded);
            } catch (Throwable t) {
                return "commons-io's BoundedInputStream of a version zc does not know (" + t + ")";
            }
        }
    };

    @Override
    public Object source(InputStream in, long minBytes) throws Throwable {
        Class<?> c = in.getClass();
        if (!c.getName().equals(COMMONS_IO)) {
            return subclass(c) ? "source is " + c.getName() + ", a subclass of commons-io's BoundedInputStream"
                    + " whose read hooks zc cannot see through" : null;
        }
        Object hooks = HOOKS.get(c);
        if (hooks instanceof String why) {
            return why;
        }
        Hooks known = (Hooks) hooks;
        String consumer = known.consumerSet(in);
        if (consumer != null) {
            return consumer;
        }
        Object inner = Sources.find(JdkAccess.innerInput((FilterInputStream) in), minBytes);
        if (inner instanceof String why) {
            return "inside commons-io's BoundedInputStream: " + why;
        }
        FileSource file = (FileSource) inner;
        long position = file.channel().position();
        long max = (long) known.maxCount.invokeExact((Object) in);
        long left = Math.max(0, max - COUNT.get(in));
        long end = max < 0 || left >= file.size() - position ? file.size() : position + left;
        FileSource.Consumed innerConsumed = file.consumed();
        return new FileSource(file.channel(), end, new FileSource.Consumed() {
            @Override
            public void read(long bytes) throws IOException {
                if (innerConsumed != null) {
                    innerConsumed.read(bytes);
                }
                COUNT.set(in, COUNT.get(in) + bytes);
            }
        });
    }

    private static boolean subclass(Class<?> c) {
        for (Class<?> k = c.getSuperclass(); k != null; k = k.getSuperclass()) {
            if (k.getName().equals(COMMONS_IO)) {
                return true;
            }
        }
        return false;
    }

    /**
     * A BoundedInputStream's limit and the consumers its reads call, with the library's own no-ops to compare them with (found on
     * the application's loader); a field is null in versions without it (2.16-2.17: the hook methods are empty).
     */
    private static final class Hooks {
        /** maxCount is final: read only (LongField would also look up a setter). */
        private final MethodHandle maxCount;
        private final MethodHandle onMaxCount;
        private final Object noopBiConsumer;
        private final MethodHandle afterRead;
        private final Object noopIntConsumer;

        Hooks(Class<?> bounded) throws Throwable {
            if (bounded.getDeclaredField("count").getType() != long.class) { // what COUNT reads and writes
                throw new NoSuchFieldException("count is not a long");
            }
            maxCount = JdkAccess.getter(bounded, "maxCount", long.class)
                    .asType(MethodType.methodType(long.class, Object.class));
            ClassLoader loader = bounded.getClassLoader();
            onMaxCount = optionalGetter(bounded, "onMaxCount");
            noopBiConsumer = onMaxCount == null ? null
                    : Class.forName("org.apache.commons.io.function.IOBiConsumer", false, loader)
                            .getMethod("noop").invoke(null);
            Class<?> proxy = bounded.getSuperclass();
            afterRead = optionalGetter(proxy, "afterRead");
            noopIntConsumer = afterRead == null ? null
                    : Class.forName("org.apache.commons.io.function.IOIntConsumer", false, loader)
                            .getField("NOOP").get(null);
        }

        /** Why not, when the builder set a consumer that the loop's reads would call; else null. */
        String consumerSet(Object in) throws Throwable {
            if (onMaxCount != null && (Object) onMaxCount.invokeExact(in) != noopBiConsumer) {
                return "commons-io's BoundedInputStream has an onMaxCount consumer, which its reads call";
            }
            if (afterRead != null && (Object) afterRead.invokeExact(in) != noopIntConsumer) {
                return "commons-io's BoundedInputStream has an afterRead consumer, which its reads call";
            }
            return null;
        }

        private static MethodHandle optionalGetter(Class<?> owner, String name) throws IllegalAccessException {
            try {
                java.lang.reflect.Field f = owner.getDeclaredField(name);
                return JdkAccess.lookup(owner).unreflectGetter(f)
                        .asType(MethodType.methodType(Object.class, Object.class));
            } catch (NoSuchFieldException e) {
                return null;
            }
        }
    }
}
