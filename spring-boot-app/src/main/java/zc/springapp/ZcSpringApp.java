package zc.springapp;

import jakarta.servlet.http.HttpServletResponse;
import java.io.File;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.web.context.WebServerInitializedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.core.io.FileSystemResource;
import org.springframework.core.io.Resource;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/**
 * A Spring Boot 3.5 application (embedded Tomcat 10.1) serving the files of one folder four ways, the way users
 * write them: {@code /NAME} static resources from the folder ({@code spring.web.resources.static-locations=file:}),
 * {@code /loop/NAME} a controller copying a FileInputStream into {@code response.getOutputStream()} with a loop,
 * {@code /nio/NAME} {@code Files.newInputStream(path).transferTo(out)}, {@code /resource/NAME} a
 * {@code ResponseEntity<Resource>}. Prints {@code PORT n} when Tomcat listens.
 */
@SpringBootApplication
@RestController
public class ZcSpringApp {
    private final Path root;

    public ZcSpringApp(@Value("${zc.files}") String root) {
        this.root = Path.of(root);
    }

    public static void main(String[] args) {
        SpringApplication.run(ZcSpringApp.class, args);
    }

    @EventListener
    public void started(WebServerInitializedEvent event) {
        System.out.println("PORT " + event.getWebServer().getPort());
    }

    @GetMapping("/loop/{name}")
    public void loop(@PathVariable("name") String name, HttpServletResponse response) throws IOException {
        File file = root.resolve(name).toFile();
        response.setContentType(MediaType.APPLICATION_OCTET_STREAM_VALUE);
        response.setContentLengthLong(file.length());
        try (InputStream in = new FileInputStream(file)) {
            OutputStream out = response.getOutputStream();
            byte[] buf = new byte[8192];
            int n;
            while ((n = in.read(buf)) != -1) {
                out.write(buf, 0, n);
            }
        }
    }

    @GetMapping("/nio/{name}")
    public void nio(@PathVariable("name") String name, HttpServletResponse response) throws IOException {
        Path file = root.resolve(name);
        response.setContentType(MediaType.APPLICATION_OCTET_STREAM_VALUE);
        response.setContentLengthLong(Files.size(file));
        try (InputStream in = Files.newInputStream(file)) {
            in.transferTo(response.getOutputStream());
        }
    }

    @GetMapping("/resource/{name}")
    public ResponseEntity<Resource> resource(@PathVariable("name") String name) {
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_OCTET_STREAM)
                .body(new FileSystemResource(root.resolve(name)));
    }
}
