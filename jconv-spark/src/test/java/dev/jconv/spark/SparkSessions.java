package dev.jconv.spark;

import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;

/** Spark sessions for tests: small, quiet, with no UI, on the loopback interface. */
final class SparkSessions {
    /** The settings of every test session. */
    static final Map<String, String> SETTINGS = Map.of(
            "spark.ui.enabled", "false",
            "spark.sql.shuffle.partitions", "2",
            "spark.driver.host", "127.0.0.1",
            "spark.driver.bindAddress", "127.0.0.1");

    private SparkSessions() {
    }

    static SparkSession local(String master) {
        SparkSession.Builder builder = SparkSession.builder().master(master).appName("jconv-spark tests");
        SETTINGS.forEach(builder::config);
        return builder.getOrCreate();
    }

    /**
     * Runs {@code action} with {@link #SETTINGS} as system properties, where a session that code under test
     * starts itself (as {@code jconv train --spark} does) reads them, and clears them afterwards.
     */
    static <T> T withSettings(Callable<T> action) throws Exception {
        SETTINGS.forEach(System::setProperty);
        try {
            return action.call();
        } finally {
            SETTINGS.keySet().forEach(System::clearProperty);
        }
    }
}
