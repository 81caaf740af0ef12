package dev.jconv.viz;

/** Switches AWT to headless mode before the first picture is drawn, unless the user chose a mode. */
final class Headless {
    private Headless() {}

    /**
     * Sets {@code java.awt.headless=true} when the property is unset. Plots are drawn into images, never
     * windows; without this an AWT that finds a {@code DISPLAY} would connect to it for nothing (and fail
     * when the display has gone away). It has to run before AWT reads the property, so every entry point
     * of this package calls it first.
     */
    static void ensure() {
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
    }
}
