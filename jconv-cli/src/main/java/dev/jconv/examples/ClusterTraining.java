package dev.jconv.examples;

import java.io.PrintStream;

/**
 * Training on a cluster, for {@code jconv train --spark MASTER}: a service that jconv-spark provides
 * ({@code dev.jconv.spark.SparkTraining}), found with {@link java.util.ServiceLoader} when its jar and Spark's
 * are on the class path, as the {@code ./jconv} launcher and {@code spark-submit} put them.
 */
public interface ClusterTraining {
    /**
     * Refuses, before any data is read, a model that the cluster would not train as one process does.
     *
     * @throws IllegalArgumentException naming the model and the reason
     */
    void check(String model);

    /**
     * Connects to the cluster {@code master} and returns a runner computing every step's gradient in
     * {@code workers} tasks, one per part of the training set; closing the runner disconnects.
     *
     * @param log where the runner reports what it does (where it runs, its timings)
     */
    StepRunner open(String master, int workers, PrintStream log);
}
