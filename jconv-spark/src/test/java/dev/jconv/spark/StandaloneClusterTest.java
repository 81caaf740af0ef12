package dev.jconv.spark;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jconv.data.FashionMnist;
import dev.jconv.examples.LeNet;
import dev.jconv.examples.LeNetTraining;
import dev.jconv.io.StateDict;
import dev.jconv.nn.Module;
import dev.jconv.viz.EpochStats;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import javax.imageio.ImageIO;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerExecutorRemoved;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.scheduler.SparkListenerTaskStart;
import org.apache.spark.scheduler.TaskInfo;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real standalone cluster on this machine — a Master and two workers, each its own JVM, whose executors are
 * JVMs too — trains and predicts, and loses an executor mid-run without the weights noticing.
 */
class StandaloneClusterTest {
    static final PrintStream QUIET = new PrintStream(PrintStream.nullOutputStream());
    static final long EXECUTOR_TIMEOUT_MS = 90_000;

    @TempDir
    static Path dir;
    static Path data;
    static StandaloneCluster cluster;
    static SparkSession spark;
    static JavaSparkContext sc;
    static final Events events = new Events();
    /** The epochs of a run undisturbed on the cluster, what its runner logged, the executors its tasks ran on. */
    static List<EpochStats> undisturbed;
    static String undisturbedLog;
    static Set<String> undisturbedExecutors;

    /** What the driver hears of tasks and executors. */
    static final class Events extends SparkListener {
        final Set<String> taskExecutors = ConcurrentHashMap.newKeySet();
        final AtomicInteger failedTasks = new AtomicInteger();
        final Set<String> removedExecutors = ConcurrentHashMap.newKeySet();
        volatile Consumer<TaskInfo> onTaskStart = task -> { };

        @Override
        public void onTaskStart(SparkListenerTaskStart event) {
            onTaskStart.accept(event.taskInfo());
        }

        @Override
        public void onTaskEnd(SparkListenerTaskEnd event) {
            taskExecutors.add(event.taskInfo().executorId());
            if (!event.taskInfo().successful()) {
                failedTasks.incrementAndGet();
            }
        }

        @Override
        public void onExecutorRemoved(SparkListenerExecutorRemoved event) {
            removedExecutors.add(event.executorId());
        }
    }

    @BeforeAll
    static void start() throws Exception {
        data = FashionMnistFiles.write(dir.resolve("data"), 256, 64);
        cluster = StandaloneCluster.start(dir.resolve("cluster"), 2);
        SparkSession.Builder builder = SparkSession.builder().master(cluster.masterUrl())
                .appName("jconv-spark cluster test");
        cluster.driverSettings().forEach(builder::config);
        spark = builder.getOrCreate();
        sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        sc.sc().addSparkListener(events);
        // Both executors first, so that the training blocks are cached on both.
        long deadline = System.currentTimeMillis() + EXECUTOR_TIMEOUT_MS;
        while (sc.statusTracker().getExecutorInfos().length < 3) { // the driver is listed too
            if (System.currentTimeMillis() > deadline) {
                throw new IllegalStateException("the cluster's executors did not register in time");
            }
            Thread.sleep(200);
        }
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        try (SparkSteps steps = new SparkSteps(sc, 2, new PrintStream(log, true, StandardCharsets.UTF_8))) {
            undisturbed = LeNetTraining.run(config(dir.resolve("undisturbed")), QUIET, steps);
        }
        undisturbedLog = log.toString(StandardCharsets.UTF_8);
        undisturbedExecutors = Set.copyOf(events.taskExecutors);
    }

    @AfterAll
    static void stop() {
        try {
            if (spark != null) {
                spark.stop();
            }
        } finally {
            if (cluster != null) {
                cluster.close();
            }
        }
    }

    /** lenet-relu's recipe, batch 64 on 256 examples: 4 steps. */
    static LeNetTraining.Config config(Path out) {
        LeNetTraining.Config d = LeNetTraining.Config.defaults("lenet-relu");
        return new LeNetTraining.Config("lenet-relu", d.optimizer(), 1, d.lr(), 64, 0, data, out, null, false, 0);
    }

    @Test
    void trainsOnBothExecutorsAndPredicts() throws IOException {
        assertThat(undisturbed).hasSize(1);
        assertThat(undisturbed.getFirst().testAccuracy()).isBetween(0.0, 1.0);
        assertThat(undisturbedLog).startsWith("Spark: 3 steps after the first: ");
        assertThat(undisturbedExecutors).as("executors that ran its tasks").hasSize(2).doesNotContain("driver");

        Path images = Files.createDirectories(dir.resolve("images"));
        for (int i = 0; i < 3; i++) {
            BufferedImage image = new BufferedImage(28, 28, BufferedImage.TYPE_INT_RGB);
            Graphics2D g = image.createGraphics();
            g.setColor(Color.WHITE);
            g.fillRect(0, 4 + 6 * i, 28, 2);
            g.dispose();
            ImageIO.write(image, "png", images.resolve("stripe-" + i + ".png").toFile());
        }
        Module model = LeNet.relu();
        StateDict.load(model, dir.resolve("undisturbed").resolve("lenet-relu.safetensors"));
        List<Row> rows = new BatchPredictor(spark, Networks.named("lenet-relu"), FashionMnist.CLASS_NAMES, 28, false)
                .predict(images.toString(), ParameterCodec.encode(model)).collectAsList();
        assertThat(rows).hasSize(3).allSatisfy(r -> assertThat(FashionMnist.CLASS_NAMES).contains(r.getString(1)));
    }

    @Test
    void anExecutorKilledMidRunLeavesTheWeightsOfAnUndisturbedRun() throws Exception {
        String victim = cluster.executorIds(1, sc.sc().applicationId()).getLast();
        ProcessHandle process = cluster.executorOf(1).orElseThrow();
        // Killed as the third task it is given starts: caching the blocks was the first, step 1 the second.
        AtomicInteger started = new AtomicInteger();
        events.onTaskStart = task -> {
            if (task.executorId().equals(victim) && started.incrementAndGet() == 3) {
                process.destroyForcibly();
            }
        };
        int failedBefore = events.failedTasks.get();
        Path killed = dir.resolve("killed");
        try (SparkSteps steps = new SparkSteps(sc, 2, null)) {
            LeNetTraining.run(config(killed), QUIET, steps);
        } finally {
            events.onTaskStart = task -> { };
        }
        process.onExit().get(10, TimeUnit.SECONDS);
        assertThat(started.get()).as("tasks started on executor " + victim).isGreaterThanOrEqualTo(3);
        assertThat(events.removedExecutors).contains(victim);
        assertThat(events.failedTasks.get() - failedBefore).as("tasks lost with the executor").isPositive();
        assertThat(Files.readAllBytes(killed.resolve("lenet-relu.safetensors")))
                .isEqualTo(Files.readAllBytes(dir.resolve("undisturbed").resolve("lenet-relu.safetensors")));
    }
}
