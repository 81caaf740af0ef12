/**
 * jconv on Apache Spark: synchronous data-parallel training, one Spark job per optimizer step
 * ({@link dev.jconv.spark.GradientJob} over a cached {@link dev.jconv.spark.TrainingSet}), driven either by
 * {@code jconv train}'s own loop ({@link dev.jconv.spark.SparkSteps}, the {@code ClusterTraining} service
 * {@link dev.jconv.spark.SparkTraining}) or by the library's {@link dev.jconv.spark.DataParallelTrainer}; batch
 * inference over a folder of images ({@link dev.jconv.spark.BatchPredictor}); and
 * {@link dev.jconv.spark.SparkMain} for {@code spark-submit} and {@code ./jconv train|predict --spark}.
 * Spark is provided by the cluster; the classes run on the class path.
 */
package dev.jconv.spark;
