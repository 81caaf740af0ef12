package dev.jconv.spark;

import org.apache.spark.sql.SparkSession;

/** Spark sessions for tests: small, quiet, with no UI. */
final class SparkSessions {
    private SparkSessions() {
    }

    static SparkSession local(String master) {
        return SparkSession.builder().master(master).appName("jconv-spark tests")
                .config("spark.ui.enabled", "false")
                .config("spark.sql.shuffle.partitions", "2")
                .config("spark.driver.host", "127.0.0.1")
                .config("spark.driver.bindAddress", "127.0.0.1")
                .getOrCreate();
    }
}
