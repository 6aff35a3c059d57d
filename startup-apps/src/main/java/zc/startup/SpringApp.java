package zc.startup;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.web.context.WebServerInitializedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;

/**
 * The Spring Boot application of {@code zc bench startup}: Spring MVC on embedded Tomcat serving the files of one
 * folder as static resources ({@code ResourceHttpMessageConverter}, the path of REAL-WORLD.md's first row).
 * Started as {@code java -jar zc-startup-spring.jar DIR}; prints {@code port N} once Tomcat listens.
 */
@SpringBootApplication
public class SpringApp {
    public static void main(String[] args) {
        String dir = java.nio.file.Path.of(args[0]).toAbsolutePath().toUri().toString();
        SpringApplication app = new SpringApplication(SpringApp.class);
        app.setBannerMode(org.springframework.boot.Banner.Mode.OFF);
        app.run("--server.port=0", "--server.address=127.0.0.1", "--spring.web.resources.static-locations=" + dir,
                "--spring.main.log-startup-info=false");
    }

    @Bean
    ApplicationListener<WebServerInitializedEvent> printPort() {
        return event -> System.out.println("port " + event.getWebServer().getPort());
    }
}
