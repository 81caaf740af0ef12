package dev.jconv.kernels;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.management.ObjectName;

/**
 * Tells the JIT to always inline {@link VectorOps}' one-line methods. The kernels call the Vector API through
 * them, and a vector operation runs as a vector instruction only when the JIT inlines it into the kernel; left
 * as a call, every vector is boxed and the operation runs on the Java fallback, allocating per lane group. The
 * JIT's own heuristics sometimes refuse ("already compiled into a medium method" when a helper was once compiled
 * on its own, or an inlining budget spent by a large kernel), and which kernel it hits changes from run to run:
 * a DenseNet step allocated 891 MB instead of 672 when its max pooling fell back. A compiler directive added
 * through the JDK's diagnostic-command MBean (what {@code jcmd Compiler.directives_add} does), on a background
 * thread when the kernels are first loaded, makes the inlining unconditional for every method the JIT compiles
 * afterwards. Where the MBean is unavailable, or with
 * {@code -Djconv.inlineDirective=false}, nothing is installed and the heuristics decide as before.
 */
final class InlineDirective {
    private static final String DIRECTIVE = "[{ match: \"*.*\", inline: \"+dev/jconv/kernels/VectorOps.*\" }]";

    private InlineDirective() {
    }

    /** Installs the directive; returns whether it is in force. Run once, when the kernels are first loaded. */
    static boolean install() {
        if ("false".equalsIgnoreCase(System.getProperty("jconv.inlineDirective", "true"))) {
            return false;
        }
        try {
            Path file = Files.createTempFile("jconv-inline", ".json");
            try {
                Files.writeString(file, DIRECTIVE);
                Object added = ManagementFactory.getPlatformMBeanServer().invoke(
                        new ObjectName("com.sun.management:type=DiagnosticCommand"), "compilerDirectivesAdd",
                        new Object[] {new String[] {file.toString()}}, new String[] {String[].class.getName()});
                return String.valueOf(added).contains("1 compiler directives added");
            } finally {
                Files.deleteIfExists(file);
            }
        } catch (Exception | LinkageError unavailable) {
            return false;
        }
    }
}
