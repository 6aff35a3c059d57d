package zc.agents;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;

/**
 * The tests' Spring Boot 3.5 fat jar (spring-boot-app: embedded Tomcat 10.1), fetched as static resources: Spring's
 * {@code ResourceHttpMessageConverter.writeContent} copies them with {@code in.transferTo(out)} into Tomcat's
 * stream, a helper call zc sends by sendfile into Tomcat's socket (tomcat-sendfile). The OpenTelemetry agent's own
 * Spring MVC instrumentation makes the spans (its method spans skip Spring's classes: none for writeContent).
 */
final class SpringBootApp implements TestApp {
    static final Path JAR = Path.of(System.getProperty("zc.springApp",
            "../spring-boot-app/target/zc-spring-boot-app.jar"));
    private static final String CONVERTER = "org.springframework.http.converter.ResourceHttpMessageConverter";

    @Override
    public String name() {
        return "Spring Boot app";
    }

    @Override
    public List<String> command(Path root) {
        return List.of("-Xmx256m", "-jar", Jars.existing(JAR).toString(), "--zc.files=" + root);
    }

    @Override
    public String readyPrefix() {
        return "PORT ";
    }

    @Override
    public URI url(int port, String file) {
        return URI.create("http://127.0.0.1:" + port + "/" + file);
    }

    @Override
    public String tracedMethods() {
        return "";
    }

    /** The server span of the agent's Spring MVC instrumentation for the static-resource handler. */
    @Override
    public List<String> spanNames() {
        return List.of("GET /**");
    }

    @Override
    public String coveredClass() {
        return "zc/springapp/ZcSpringApp";
    }

    @Override
    public String copySite() {
        return CONVERTER + ".writeContent(";
    }

    @Override
    public boolean copySiteIsLoop() {
        return false;
    }

    @Override
    public Outcome expected(long bytesServed) {
        return new Outcome("rewritten", null, bytesServed);
    }

    /** Tomcat may have taken the first bytes into its buffer before the sendfile: at least 90% by sendfile. */
    @Override
    public void checkZc(Outcome expected, Outcome actual, String context) {
        assertEquals(expected.status(), actual.status(), context);
        assertEquals(expected.reason(), actual.reason(), context);
        assertTrue(actual.sendfileBytes() >= expected.sendfileBytes() * 9 / 10
                && actual.sendfileBytes() <= expected.sendfileBytes(), actual + " " + context);
    }

    @Override
    public String toString() {
        return name();
    }
}
