package zc.cli.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** A generated section of a Markdown file between two markers, replaced by a later run, or appended. */
final class MarkdownSection {
    private MarkdownSection() {
    }

    static void writeInto(Path file, String begin, String end, String md) throws IOException {
        String section = begin + "\n" + md + end + "\n";
        String old = Files.isRegularFile(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
        int b = old.indexOf(begin);
        int e = old.indexOf(end);
        String updated = b >= 0 && e > b ? old.substring(0, b) + section + old.substring(e + end.length())
                .replaceFirst("^\n", "") : old + (old.isEmpty() || old.endsWith("\n\n") ? "" : "\n") + section;
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmp, updated, StandardCharsets.UTF_8);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
