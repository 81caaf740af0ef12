/** jconv's command line ({@code dev.jconv.cli.Main}) and the D2L chapters, LeNet and its training loop. */
module dev.jconv.cli {
    requires dev.jconv;
    requires dev.jconv.viz;
    requires info.picocli;
    requires java.management; // train's heap probe (HeapPlan)

    exports dev.jconv.cli;
    exports dev.jconv.examples;

    opens dev.jconv.cli to info.picocli; // picocli sets the commands' annotated fields by reflection

    // train --spark: jconv-spark's provider, found on the class path (Spark is not modular).
    uses dev.jconv.examples.ClusterTraining;
}
