package dev.jconv.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.jconv.data.Batch;
import dev.jconv.data.DataLoader;
import dev.jconv.examples.LeNetTraining;
import dev.jconv.io.StateDict;
import dev.jconv.nn.CrossEntropyLoss;
import dev.jconv.nn.Module;
import dev.jconv.optim.Optimizer;
import dev.jconv.random.Generator;
import dev.jconv.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class DataParallelTrainerTest {
    static final int EXAMPLES = 200;
    // 200 = 3 batches of 64 and one of 8 per epoch: the last, partial batch is exercised too.
    static final DataParallelTrainer.Config CONFIG = new DataParallelTrainer.Config(64, 2, 0, "sgd", 0.9, 7, 11);

    static SparkSession spark;
    static JavaSparkContext sc;
    static Synthetic data;
    static TrainingSet set;

    @BeforeAll
    static void start() {
        spark = SparkSessions.local("local[2]");
        sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        data = new Synthetic(EXAMPLES, 3);
        set = TrainingSet.parallelize(sc, data, 2);
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    static DataParallelTrainer.Result trainOnSpark() {
        return new DataParallelTrainer(sc, Networks.lenet(), CONFIG).train(set, null);
    }

    /** The single-process loop of LeNetTraining, with the same seeds and batches. */
    static List<Double> trainInOneProcess(Module[] trained) {
        Tensor.manualSeed(CONFIG.seed());
        Module model = Networks.lenet().create();
        Optimizer opt = LeNetTraining.optimizer(CONFIG.optimizer(), model.parameters(), CONFIG.lr());
        DataLoader loader = DataLoader.builder(data).batchSize(CONFIG.batchSize()).shuffle(true)
                .generator(new Generator(CONFIG.shuffleSeed())).build();
        CrossEntropyLoss loss = new CrossEntropyLoss();
        List<Double> losses = new ArrayList<>();
        for (int epoch = 0; epoch < CONFIG.epochs(); epoch++) {
            for (Batch b : loader) {
                Tensor l = loss.forward(model.forward(b.images()), b.labels());
                opt.zeroGrad();
                l.backward();
                opt.step();
                losses.add(l.item());
            }
        }
        trained[0] = model;
        return losses;
    }

    static float[] weights(Module m) {
        return weights(StateDict.of(m));
    }

    /** Every value of a state dict, in its order. */
    static float[] weights(Map<String, Tensor> state) {
        List<Float> all = new ArrayList<>();
        for (Tensor t : state.values()) {
            for (float v : t.toFloatArray()) {
                all.add(v);
            }
        }
        float[] out = new float[all.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = all.get(i);
        }
        return out;
    }

    @Test
    void partitionsHoldConsecutiveBlocks() {
        List<ExampleBlock> blocks = set.blocks().collect();
        assertThat(blocks).extracting(ExampleBlock::first, ExampleBlock::count)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(0, 100), org.assertj.core.groups.Tuple.tuple(100, 100));
    }

    @Test
    void blocksLostFromTheCacheAreRebuilt() {
        TrainingSet other = TrainingSet.parallelize(sc, data, 2);
        List<ExampleBlock> before = other.blocks().collect();
        other.blocks().unpersist(true);
        List<ExampleBlock> after = other.blocks().collect();
        for (int p = 0; p < 2; p++) {
            assertThat(after.get(p).images()).as("block %d", p).containsExactly(before.get(p).images());
            assertThat(after.get(p).labels()).as("block %d", p).containsExactly(before.get(p).labels());
        }
    }

    @Test
    void globalBatchesAreTheSingleProcessLoadersBatches() {
        DataLoader indices = DataParallelTrainer.batchIndices(EXAMPLES, 64, 11);
        DataLoader loader = DataLoader.builder(data).batchSize(64).shuffle(true).generator(new Generator(11))
                .prefetch(0).build();
        for (int epoch = 0; epoch < 2; epoch++) {
            Iterator<Batch> a = indices.iterator();
            Iterator<Batch> b = loader.iterator();
            while (b.hasNext()) {
                long[] idx = a.next().labels().toLongArray();
                Batch real = b.next();
                long[] expected = new long[idx.length];
                for (int i = 0; i < idx.length; i++) {
                    expected[i] = (long) data.get((int) idx[i]).label().item();
                }
                assertThat(real.labels().toLongArray()).containsExactly(expected);
            }
            assertThat(a.hasNext()).isFalse();
        }
    }

    @Test
    void twoRunsGiveBitwiseEqualWeights() {
        float[] first = weights(trainOnSpark().model());
        float[] second = weights(trainOnSpark().model());
        assertThat(Arrays.equals(first, second)).isTrue();
    }

    @Test
    void lossesMatchASingleProcessRun() {
        double[] spark = trainOnSpark().losses();
        List<Double> local = trainInOneProcess(new Module[1]);
        assertThat(spark).hasSize(local.size()).hasSize(8);
        for (int i = 0; i < spark.length; i++) {
            assertThat(spark[i]).as("loss of step %d", i).isCloseTo(local.get(i), within(1e-5 * Math.abs(local.get(i))));
        }
    }

    @Test
    void weightsMatchASingleProcessRun() {
        float[] spark = weights(trainOnSpark().model());
        Module[] local = new Module[1];
        trainInOneProcess(local);
        float[] expected = weights(local[0]);
        assertThat(spark).hasSameSizeAs(expected);
        double maxAbs = 0;
        for (float v : expected) {
            maxAbs = Math.max(maxAbs, Math.abs(v));
        }
        for (int i = 0; i < spark.length; i++) {
            // Relative to the largest weight: a weight near zero differs by the same absolute rounding.
            assertThat((double) spark[i]).as("weight %d", i).isCloseTo(expected[i], within(1e-5 * maxAbs));
        }
    }

    @Test
    void trainingLowersTheLoss() {
        DataParallelTrainer.Config longer = new DataParallelTrainer.Config(32, 4, 0, "adam", 3e-3, 7, 11);
        double[] losses = new DataParallelTrainer(sc, Networks.lenet(), longer).train(set, null).losses();
        double firstEpoch = Arrays.stream(losses, 0, 7).average().orElseThrow();
        double lastEpoch = Arrays.stream(losses, losses.length - 7, losses.length).average().orElseThrow();
        assertThat(lastEpoch).isLessThan(firstEpoch);
    }

    @Test
    void maxStepsStopsTraining() {
        DataParallelTrainer.Config three = new DataParallelTrainer.Config(64, 2, 3, "sgd", 0.9, 7, 11);
        assertThat(new DataParallelTrainer(sc, Networks.lenet(), three).train(set, null).steps()).hasSize(3);
    }

    @Test
    void weightsRoundTripThroughTheCodec() {
        Tensor.manualSeed(1);
        Module a = Networks.lenet().create();
        Tensor.manualSeed(2);
        Module b = Networks.lenet().create();
        ParameterCodec.load(b, ParameterCodec.encode(a));
        Map<String, Tensor> sa = StateDict.of(a);
        Map<String, Tensor> sb = StateDict.of(b);
        assertThat(sb.keySet()).containsExactlyElementsOf(sa.keySet());
        for (String k : sa.keySet()) {
            assertThat(sb.get(k).toFloatArray()).as(k).containsExactly(sa.get(k).toFloatArray());
        }
    }
}
