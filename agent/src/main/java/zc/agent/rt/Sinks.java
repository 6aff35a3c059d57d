package zc.agent.rt;

import java.io.FilterOutputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.Map;

/**
 * The one place a sink is chosen: each {@link SinkFamily} in turn is asked about the real stream; the first that
 * recognises it decides (a Sink, or why not). Streams no family knows keep the original code, with the reason.
 * Container families live in their own packages and are listed here only.
 */
public final class Sinks {
    private static final List<SinkFamily> FAMILIES = List.of(
            new FileSinks(),
            new SocketSinks(),
            new BufferedSinks(),
            new zc.agent.containers.helidon.HelidonSinks(),
            new zc.agent.containers.tomcat.TomcatSinks(),
            new zc.agent.containers.spring.SpringLifecycleSinks(),
            new zc.agent.containers.springsecurity.OnCommittedSinks(),
            new JdkHttpSinks(),
            new zc.agent.containers.jetty.JettySinks(),
            new zc.agent.containers.undertow.UndertowSinks(),
            new zc.agent.containers.jersey.JerseySinks());

    /** Sinks that must never be bypassed, each with why. */
    private static final Map<String, String> NEVER = Map.ofEntries(
            Map.entry("sun.security.ssl.SSLSocketImpl$AppOutputStream", "TLS socket: the bytes must be encrypted"),
            Map.entry("java.util.zip.GZIPOutputStream", "GZIPOutputStream compresses the bytes"),
            Map.entry("java.util.zip.DeflaterOutputStream", "DeflaterOutputStream compresses the bytes"),
            Map.entry("java.util.zip.ZipOutputStream", "ZipOutputStream compresses the bytes"),
            Map.entry("java.util.jar.JarOutputStream", "JarOutputStream compresses the bytes"),
            Map.entry("java.util.zip.CheckedOutputStream", "CheckedOutputStream checksums the bytes"),
            Map.entry("java.security.DigestOutputStream", "DigestOutputStream digests the bytes"),
            Map.entry("javax.crypto.CipherOutputStream", "CipherOutputStream encrypts the bytes"),
            Map.entry("java.io.DataOutputStream", "DataOutputStream counts the bytes it writes"),
            Map.entry("java.io.PrintStream", "PrintStream keeps an error flag instead of throwing"),
            Map.entry("java.io.ObjectOutputStream", "ObjectOutputStream frames the bytes"));

    private Sinks() {
    }

    /** A Sink for the stream a copy writes to, or the reason there is none. */
    static Object find(OutputStream out) throws Throwable {
        return resolve(out, BufferedFlush.NONE);
    }

    /**
     * A Sink for {@code out} found inside wrappers that must flush first ({@code flush}), or the reason there is
     * none. Wrapper families call this for the stream they wrap.
     */
    public static Object resolve(OutputStream out, BufferedFlush flush) throws Throwable {
        if (out == null) {
            return "sink is null";
        }
        for (SinkFamily family : FAMILIES) {
            Object sink = family.sink(out, flush);
            if (sink != null) {
                return sink;
            }
        }
        Class<?> c = out.getClass();
        String never = NEVER.get(c.getName());
        if (never != null) {
            return never;
        }
        if (out instanceof FilterOutputStream) {
            return "sink is " + c.getName() + ", a filter stream zc does not unwrap";
        }
        return "sink is " + c.getName() + ", not a file, plain socket or supported container stream";
    }
}
