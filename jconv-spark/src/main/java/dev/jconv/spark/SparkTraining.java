package dev.jconv.spark;

import dev.jconv.examples.ClusterTraining;
import dev.jconv.examples.StepRunner;
import dev.jconv.examples.TrainingRecipes;
import java.io.PrintStream;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;

/**
 * {@code jconv train --spark MASTER}: the {@link ClusterTraining} service this module provides (registered in
 * {@code META-INF/services}), whose runner is {@link SparkSteps} in a Spark session of its own.
 */
public final class SparkTraining implements ClusterTraining {
    /** The service; {@link java.util.ServiceLoader} calls this. */
    public SparkTraining() {
    }

    @Override
    public void check(String model) {
        String why = Networks.unsupported(TrainingRecipes.model(model));
        if (why != null) {
            throw new IllegalArgumentException(model + " cannot be trained on Spark: it has " + why
                    + "; train it without --spark");
        }
    }

    /**
     * A runner in the Spark session for {@code master} (under {@code spark-submit}, the one it configured),
     * stopped when the runner is closed.
     */
    @Override
    public StepRunner open(String master, int workers, PrintStream log) {
        SparkSession spark = SparkSession.builder().master(master).appName("jconv train").getOrCreate();
        try {
            return new SparkSteps(JavaSparkContext.fromSparkContext(spark.sparkContext()), workers, log)
                    .onClose(spark::stop);
        } catch (RuntimeException e) {
            spark.stop();
            throw e;
        }
    }
}
