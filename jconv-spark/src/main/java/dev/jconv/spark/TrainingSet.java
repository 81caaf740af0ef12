package dev.jconv.spark;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.storage.StorageLevel;

/**
 * A training set spread over a Spark cluster: {@code N} partitions, each one {@link ExampleBlock} of
 * consecutive examples, cached in the executors' memory so every training step reads them from there.
 *
 * <p>The examples are read on the driver (any jconv {@link dev.jconv.data.Dataset}, e.g.
 * {@link dev.jconv.data.FashionMnist}, parsed from its IDX files) and handed to Spark once, as a broadcast
 * (so every executor fetches the whole set once, and keeps its own blocks); after that only weights, batch
 * indices and gradients travel.
 */
public final class TrainingSet {
    private final JavaRDD<ExampleBlock> blocks;
    private final int size;

    private TrainingSet(JavaRDD<ExampleBlock> blocks, int size) {
        this.blocks = blocks;
        this.size = size;
    }

    /**
     * Splits {@code data} into {@code partitions} blocks of consecutive examples (sizes differing by at most
     * one), one per partition, and caches them (materialised before returning).
     */
    public static TrainingSet parallelize(JavaSparkContext sc, dev.jconv.data.Dataset data, int partitions) {
        int n = data.size();
        if (partitions < 1 || partitions > n) {
            throw new IllegalArgumentException("need 1 to " + n + " partitions for " + n + " examples, got "
                    + partitions);
        }
        List<ExampleBlock> list = new ArrayList<>(partitions);
        List<Integer> ids = new ArrayList<>(partitions);
        for (int p = 0; p < partitions; p++) {
            int from = (int) ((long) n * p / partitions);
            int to = (int) ((long) n * (p + 1) / partitions);
            list.add(ExampleBlock.of(data, from, to - from));
            ids.add(p);
        }
        // The blocks travel as a broadcast, and the RDD is made from their numbers: had the blocks been
        // parallelized themselves, every task of every step would carry its partition's data (Spark ships a
        // parallelized collection inside its partitions, cached or not). Once the blocks are cached the
        // executors drop their copies of the broadcast; the driver keeps it, so a block lost with its executor
        // is rebuilt from it.
        Broadcast<List<ExampleBlock>> all = sc.broadcast(list);
        JavaRDD<ExampleBlock> rdd = sc.parallelize(ids, partitions).map(p -> all.value().get(p))
                .setName("jconv training blocks").persist(StorageLevel.MEMORY_ONLY());
        rdd.count();
        all.unpersist(false);
        return new TrainingSet(rdd, n);
    }

    /** The cached blocks, block p in partition p. */
    public JavaRDD<ExampleBlock> blocks() {
        return blocks;
    }

    /** The number of examples. */
    public int size() {
        return size;
    }

    /** The number of partitions, hence of tasks per training step. */
    public int partitions() {
        return blocks.getNumPartitions();
    }

    /** Drops the cached blocks from the executors. */
    public void unpersist() {
        blocks.unpersist(false);
    }
}
