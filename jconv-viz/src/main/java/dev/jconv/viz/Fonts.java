package dev.jconv.viz;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.GraphicsEnvironment;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Whether this JVM can draw text, which plots with labels need.
 *
 * <p>On Linux the JDK finds fonts through fontconfig; on a minimal system (a container, a CI image) there
 * may be no fonts at all, and AWT then fails deep inside text layout or draws nothing. The fix there is the
 * Debian packages {@value #PACKAGES}. Pictures without text ({@link KernelGrid}, an {@link ImageGrid}
 * without titles) need no fonts.
 */
public final class Fonts {
    /** The Debian packages that give the JDK fonts to draw labels with. */
    public static final String PACKAGES = "fontconfig fonts-dejavu-core";

    /** The font matplotlib uses by default, so the plots read like D2L's. */
    private static final String PREFERRED = "DejaVu Sans";

    /** Names the JDK always lists, whether or not any real font stands behind them. */
    private static final Set<String> LOGICAL = Set.of("Dialog", "DialogInput", "Monospaced", "SansSerif", "Serif");

    private Fonts() {}

    /** Probed once: installing fonts needs a restart of the JVM anyway. */
    private static final class Probe {
        static final Optional<String> PROBLEM = probe();
        static final String FAMILY = PROBLEM.isEmpty() && hasFamily(PREFERRED) ? PREFERRED : Font.SANS_SERIF;
    }

    /**
     * Why text cannot be drawn, naming the packages to install, or empty when it can. The check lists the
     * installed font families and draws a few letters into an image.
     */
    public static Optional<String> problem() {
        return Probe.PROBLEM;
    }

    /**
     * Throws when text cannot be drawn.
     *
     * @throws IllegalStateException with {@link #problem()}'s message
     */
    public static void require() {
        Probe.PROBLEM.ifPresent(message -> {
            throw new IllegalStateException(message);
        });
    }

    /** The sans-serif font for labels: DejaVu Sans when installed; requires fonts. */
    static Font sans(int style, float size) {
        require();
        return new Font(Probe.FAMILY, style, 1).deriveFont(size);
    }

    /** The message for a missing-fonts problem, naming the packages that fix it. */
    static String explain(String reason) {
        return "cannot draw text: " + reason + ". Install fonts for the JDK: the Debian packages " + PACKAGES
                + " (apt-get install " + PACKAGES + ")";
    }

    private static Optional<String> probe() {
        Headless.ensure();
        try {
            String[] families = GraphicsEnvironment.getLocalGraphicsEnvironment()
                    .getAvailableFontFamilyNames(Locale.ROOT);
            boolean physical = false;
            for (String family : families) {
                physical |= !LOGICAL.contains(family);
            }
            if (!physical) {
                return Optional.of(explain("no font families are installed"));
            }
            if (inkOf("Ag8") == 0) {
                return Optional.of(explain("text renders as blank"));
            }
            return Optional.empty();
        } catch (VirtualMachineError e) {
            throw e;
        } catch (RuntimeException | Error e) {
            // Without fontconfig or fonts AWT throws from its font setup (NullPointerException, InternalError,
            // UnsatisfiedLinkError, ...), whichever it hits first.
            return Optional.of(explain("font setup failed with " + e));
        }
    }

    /** How many pixels some text blackens: zero when no glyphs come out. */
    private static int inkOf(String text) {
        BufferedImage image = new BufferedImage(64, 32, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, 64, 32);
            g.setColor(Color.BLACK);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_OFF);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 20));
            g.drawString(text, 4, 24);
        } finally {
            g.dispose();
        }
        int ink = 0;
        for (int y = 0; y < 32; y++) {
            for (int x = 0; x < 64; x++) {
                ink += (image.getRGB(x, y) & 0xFFFFFF) != 0xFFFFFF ? 1 : 0;
            }
        }
        return ink;
    }

    private static boolean hasFamily(String name) {
        for (String family : GraphicsEnvironment.getLocalGraphicsEnvironment().getAvailableFontFamilyNames(Locale.ROOT)) {
            if (family.equals(name)) {
                return true;
            }
        }
        return false;
    }
}
