package zc.report.survey;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One agent statistics file ({@code zc-agent-<pid>.json}, schema zc-agent-stats/1 or /2), checked as it is read.
 *
 * @param path   where it was read
 * @param schema its schema version (1 or 2: version 1 has no bytes per declined reason and no wouldMove)
 * @param doc    the document
 */
public record StatsFile(Path path, int schema, JsonNode doc) {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Reads and checks a file; a file that is not agent statistics is an {@link Invalid} with one line saying why. */
    public static StatsFile read(Path path) {
        JsonNode doc;
        try {
            doc = JSON.readTree(Files.readAllBytes(path));
        } catch (JsonProcessingException e) {
            throw new Invalid(path + ": not JSON (" + e.getOriginalMessage() + ", line "
                    + e.getLocation().getLineNr() + ")");
        } catch (IOException e) {
            throw new Invalid(path + ": cannot be read (" + e.getMessage() + ")");
        }
        if (doc == null || !doc.isObject()) {
            throw new Invalid(path + ": not a JSON object");
        }
        String schema = doc.path("schema").asText("");
        int version = switch (schema) {
            case "zc-agent-stats/1" -> 1;
            case "zc-agent-stats/2" -> 2;
            default -> throw new Invalid(path + ": not zc agent statistics (schema '" + schema
                    + "', expected zc-agent-stats/1 or /2)");
        };
        if (!doc.path("sites").isArray()) {
            throw new Invalid(path + ": no sites array");
        }
        for (JsonNode site : doc.path("sites")) {
            if (!site.path("class").isTextual() || !site.path("method").isTextual() || !site.path("status").isTextual()) {
                throw new Invalid(path + ": a site without class, method or status: " + abbreviate(site.toString()));
            }
        }
        return new StatsFile(path, version, doc);
    }

    public String mode() {
        return doc.path("mode").asText("unknown");
    }

    private static String abbreviate(String s) {
        return s.length() > 120 ? s.substring(0, 117) + "..." : s;
    }

    /** A file that is not valid agent statistics. */
    public static final class Invalid extends RuntimeException {
        public Invalid(String message) {
            super(message);
        }
    }
}
