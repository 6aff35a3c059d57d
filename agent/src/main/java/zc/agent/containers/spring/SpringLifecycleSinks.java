package zc.agent.containers.spring;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import zc.agent.containers.Reflect;
import zc.agent.rt.BufferedFlush;
import zc.agent.rt.Sink;
import zc.agent.rt.SinkFamily;
import zc.agent.rt.Sinks;

/**
 * Spring 6.1+'s {@code StandardServletAsyncWebRequest$LifecycleServletOutputStream}, which Spring MVC puts around
 * the container's stream for controllers (so that a response is not written after async completion or an error).
 * It adds no bytes and no buffer; every write takes its response's lock (or fails with
 * AsyncRequestNotUsableException), and turns an IOException into AsyncRequestNotUsableException after marking the
 * request as failed. The stream it wraps is resolved as any other ({@link Sinks#resolve}); each transfer into it
 * runs inside the same steps, by Spring's own methods.
 */
public final class SpringLifecycleSinks implements SinkFamily {
    static final String STREAM =
            "org.springframework.web.context.request.async.StandardServletAsyncWebRequest$LifecycleServletOutputStream";
    private static final ClassValue<Object> ACCESS = new ClassValue<>() {
        @Override
        protected Object computeValue(Class<?> stream) {
            try {
                return new Access(stream);
            } catch (ReflectiveOperationException | RuntimeException e) {
                return "Spring version not recognised (" + e + ")";
            }
        }
    };

    @Override
    public Object sink(OutputStream out, BufferedFlush flush) throws Throwable {
        if (!out.getClass().getName().equals(STREAM)) {
            return null;
        }
        Object found = ACCESS.get(out.getClass());
        if (found instanceof String why) {
            return why;
        }
        Access spring = (Access) found;
        Object inner = Sinks.resolve((OutputStream) spring.delegate.get(out), flush);
        if (inner instanceof String why) {
            return "inside Spring's LifecycleServletOutputStream: " + why;
        }
        return new LifecycleSink(out, spring.response.get(out), spring, (Sink) inner);
    }

    /** LifecycleServletOutputStream's fields and LifecycleHttpServletResponse's lock and error steps. */
    record Access(Field delegate, Field response, Method obtainLock, Method handleIOException, Method releaseLock) {
        Access(Class<?> stream) throws ReflectiveOperationException {
            this(Reflect.field(stream, "delegate", null), Reflect.field(stream, "response", null),
                    method(stream, "obtainLockOrRaiseException"),
                    method(stream, "handleIOException", IOException.class, String.class),
                    method(stream, "releaseLock", int.class));
        }

        private static Method method(Class<?> stream, String name, Class<?>... params)
                throws ReflectiveOperationException {
            return Reflect.method(stream.getDeclaredField("response").getType(), name, params);
        }
    }
}
