/**
 * jconv: convolutional neural networks in pure Java, with PyTorch's names and numbers.
 *
 * <p>{@code xchart} (used by {@code dev.jconv.viz} only) ships no module descriptor and no
 * {@code Automatic-Module-Name} in its manifest, so on the module path it is an automatic module whose name
 * is derived from its file name, {@code xchart-4.0.3.jar}: {@code xchart}, not {@code org.knowm.xchart}.
 * Maven and the launcher both put the jar there under that file name. A name taken from a file name is
 * not stable (maven-compiler-plugin warns "filename-based automodules"): should xchart ever declare
 * {@code Automatic-Module-Name: org.knowm.xchart} or a module descriptor, this {@code requires} must change
 * with it, and jconv should not be published to a public repository before then.
 */
@SuppressWarnings("requires-automatic")
module dev.jconv {
    requires transitive java.desktop; // dev.jconv.viz hands out BufferedImage and Color
    requires xchart;
    requires jdk.incubator.vector;
    requires info.picocli;

    exports dev.jconv.storage;
    exports dev.jconv.random;
    exports dev.jconv.kernels;
    exports dev.jconv.autograd;
    exports dev.jconv.tensor;
    exports dev.jconv.nn;
    exports dev.jconv.optim;
    exports dev.jconv.data;
    exports dev.jconv.io;
    exports dev.jconv.cli;
    exports dev.jconv.models;
    exports dev.jconv.examples;
    exports dev.jconv.viz;

    opens dev.jconv.cli to info.picocli; // picocli sets the commands' annotated fields by reflection
}
