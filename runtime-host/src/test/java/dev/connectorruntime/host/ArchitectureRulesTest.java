package dev.connectorruntime.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The rules that keep the host generic, checked on the sources: the host names no connector, and a
 * plugin reaches the host only through the SPI (its imports, and the SPI provided, never bundled).
 */
class ArchitectureRulesTest {
    private static final Path ROOT = Path.of("..");
    private static final Pattern IMPORT = Pattern.compile("^import (?:static )?(dev\\.connectorruntime\\.[a-z]+)", Pattern.MULTILINE);
    private static final Pattern CONNECTOR_NAME = Pattern.compile("wecom|企业微信|weixin", Pattern.CASE_INSENSITIVE);

    @Test
    void theHostsCodeNamesNoConnector() {
        List<String> found = new ArrayList<>();
        for (Path file : javaFiles(ROOT.resolve("runtime-host/src/main/java"))) {
            String code = withoutComments(read(file));
            Matcher imports = IMPORT.matcher(code);
            while (imports.find()) {
                if (!imports.group(1).equals("dev.connectorruntime.host") && !imports.group(1).equals("dev.connectorruntime.spi")) {
                    found.add(file.getFileName() + " imports " + imports.group(1));
                }
            }
            Matcher names = CONNECTOR_NAME.matcher(code);
            while (names.find()) {
                found.add(file.getFileName() + " says '" + names.group() + "'");
            }
        }
        assertEquals(List.of(), found);
    }

    @Test
    void pluginsImportNothingOfTheHostOrOfEachOther() {
        List<String> found = new ArrayList<>();
        for (String module : plugins()) {
            String own = switch (module) {
                case "connector-wecom-sandbox" -> "dev.connectorruntime.wecom.sandbox";
                case "connector-wecom" -> "dev.connectorruntime.wecom";
                default -> "dev.connectorruntime." + module.substring("connector-".length());
            };
            for (Path file : javaFiles(ROOT.resolve(module).resolve("src/main/java"))) {
                Matcher imports = Pattern.compile("^import (?:static )?(dev\\.connectorruntime\\.[\\w.]+)\\.[A-Z]", Pattern.MULTILINE)
                        .matcher(read(file));
                while (imports.find()) {
                    String pkg = imports.group(1);
                    if (!pkg.equals("dev.connectorruntime.spi") && !(pkg + ".").startsWith(own + ".")) {
                        found.add(module + "/" + file.getFileName() + " imports " + pkg);
                    }
                }
            }
        }
        assertEquals(List.of(), found);
    }

    @Test
    void pluginsGetTheSpiFromTheHostAndNeverTheHostItself() {
        for (String module : plugins()) {
            String pom = read(ROOT.resolve(module).resolve("pom.xml"));
            assertFalse(pom.contains("<artifactId>runtime-host</artifactId>"), module + " depends on the host");
            Matcher spi = Pattern.compile("<artifactId>connector-spi</artifactId>\\s*<scope>(\\w+)</scope>").matcher(pom);
            assertEquals(true, spi.find(), module + " declares the SPI");
            assertEquals("provided", spi.group(1), module + ": the SPI comes from the host (provided), never bundled");
        }
    }

    /** The plugin modules: every connector-* folder with a pom, the SPI aside. */
    private static List<String> plugins() {
        try (Stream<Path> dirs = Files.list(ROOT)) {
            List<String> modules = dirs.map(d -> d.getFileName().toString())
                    .filter(n -> n.startsWith("connector-") && !n.equals("connector-spi"))
                    .filter(n -> Files.isRegularFile(ROOT.resolve(n).resolve("pom.xml"))).sorted().toList();
            assertFalse(modules.isEmpty(), "no plugin modules found from " + ROOT.toAbsolutePath());
            return modules;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<Path> javaFiles(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(f -> f.toString().endsWith(".java")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The code without its comments (names in Javadoc examples are fine; names in code are not). */
    private static String withoutComments(String source) {
        return source.replaceAll("(?s)/\\*.*?\\*/", "").replaceAll("(?m)//.*$", "");
    }
}
