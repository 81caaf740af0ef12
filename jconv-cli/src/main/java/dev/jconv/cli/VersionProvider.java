package dev.jconv.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/**
 * {@code jconv --version}: the project version, from {@code version.properties}, which Maven fills in when it
 * copies the resources (a module's {@code Package} does not expose the jar manifest's version); "dev" when the
 * classes run unfiltered, e.g. straight from an IDE.
 */
public final class VersionProvider implements IVersionProvider {
    /** The version, or "dev". */
    public static String version() {
        try (InputStream in = VersionProvider.class.getResourceAsStream("version.properties")) {
            if (in != null) {
                Properties p = new Properties();
                p.load(in);
                String v = p.getProperty("version", "");
                if (!v.isBlank() && !v.startsWith("${")) {
                    return v.trim();
                }
            }
        } catch (IOException ignored) {
            // A missing or unreadable resource is what "dev" stands for.
        }
        return "dev";
    }

    @Override
    public String[] getVersion() {
        return new String[] {"jconv " + version()};
    }
}
