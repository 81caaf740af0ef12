package dev.jconv.spark;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A task that fails once is retried by Spark, and the run ends as an undisturbed one does. */
class TaskRetryTest {
    static SparkSession spark;
    static JavaSparkContext sc;
    static TrainingSet set;

    @BeforeAll
    static void start() {
        // local[2,4]: two threads, and up to 4 attempts per task (plain local[N] never retries).
        spark = SparkSessions.local("local[2,4]");
        sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        set = TrainingSet.parallelize(sc, new Synthetic(DataParallelTrainerTest.EXAMPLES, 3), 2);
    }

    @AfterAll
    static void stop() {
        System.clearProperty(DataParallelTrainer.FAIL_FIRST_ATTEMPT_PROPERTY);
        spark.stop();
    }

    @Test
    void aRetriedTaskGivesTheSameWeightsAsAnUndisturbedRun() {
        float[] undisturbed = DataParallelTrainerTest.weights(
                new DataParallelTrainer(sc, Networks.lenet(), DataParallelTrainerTest.CONFIG).train(set, null).model());
        int before = DataParallelTrainer.INJECTED_FAILURES.get();
        System.setProperty(DataParallelTrainer.FAIL_FIRST_ATTEMPT_PROPERTY, "2:1");
        float[] retried;
        try {
            retried = DataParallelTrainerTest.weights(
                    new DataParallelTrainer(sc, Networks.lenet(), DataParallelTrainerTest.CONFIG).train(set, null)
                            .model());
        } finally {
            System.clearProperty(DataParallelTrainer.FAIL_FIRST_ATTEMPT_PROPERTY);
        }
        assertThat(DataParallelTrainer.INJECTED_FAILURES.get() - before).as("injected failures").isEqualTo(1);
        assertThat(Arrays.equals(retried, undisturbed)).isTrue();
    }
}
