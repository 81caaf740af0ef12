package dev.jconv.spark;

import dev.jconv.nn.Functional;
import dev.jconv.nn.Module;
import dev.jconv.storage.DType;
import dev.jconv.storage.Shape;
import dev.jconv.tensor.Tensor;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import javax.imageio.ImageIO;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Batch inference on Spark: classifies every image of a folder, read through Spark's {@code binaryFile} source,
 * with weights broadcast once. Each partition builds one network, loads the weights, and runs its images
 * through it a batch at a time; the result is a {@link Dataset} of (path, class, probability).
 *
 * <p>Images are prepared as {@code jconv predict} prepares them: scaled to {@code side}×{@code side}
 * bilinearly, grey as the mean of red, green and blue, in [0, 1], optionally inverted (Fashion-MNIST's
 * clothes are light on black).
 */
public final class BatchPredictor {
    /** The schema of the predictions: the image's path, the predicted class's name, its softmax probability. */
    public static final StructType SCHEMA = new StructType(new StructField[] {
        DataTypes.createStructField("path", DataTypes.StringType, false),
        DataTypes.createStructField("class", DataTypes.StringType, false),
        DataTypes.createStructField("probability", DataTypes.DoubleType, false)});

    private static final int BATCH = 64;

    private final SparkSession spark;
    private final ModelFactory factory;
    private final List<String> classNames;
    private final int side;
    private final boolean invert;

    /**
     * A predictor of the networks {@code factory} builds, for {@code side}×{@code side} grey images, naming
     * class i {@code classNames.get(i)}.
     */
    public BatchPredictor(SparkSession spark, ModelFactory factory, List<String> classNames, int side,
                          boolean invert) {
        this.spark = Objects.requireNonNull(spark, "spark");
        this.factory = Objects.requireNonNull(factory, "factory");
        this.classNames = List.copyOf(classNames);
        if (side < 1) {
            throw new IllegalArgumentException("image side must be positive, got " + side);
        }
        this.side = side;
        this.invert = invert;
    }

    /**
     * The predictions for every {@code *.png}, {@code *.jpg} or {@code *.jpeg} file under {@code imagesDir}
     * (a path or URI Spark can read), with the weights {@code weights} ({@link ParameterCodec#encode} bytes).
     * Lazy, as Spark's datasets are: the work happens when it is collected or written.
     */
    public Dataset<Row> predict(String imagesDir, byte[] weights) {
        Dataset<Row> files = spark.read().format("binaryFile")
                .option("pathGlobFilter", "*.{png,PNG,jpg,JPG,jpeg,JPEG}")
                .option("recursiveFileLookup", "true")
                .load(imagesDir)
                .select("path", "content");
        Broadcast<byte[]> w = JavaSparkContext.fromSparkContext(spark.sparkContext()).broadcast(weights);
        ModelFactory f = factory;
        List<String> names = classNames;
        int s = side;
        boolean inv = invert;
        JavaRDD<Row> rows = files.javaRDD().mapPartitions(it -> classify(it, f, w.value(), names, s, inv));
        return spark.createDataFrame(rows, SCHEMA);
    }

    private static Iterator<Row> classify(Iterator<Row> files, ModelFactory factory, byte[] weights,
                                          List<String> names, int side, boolean invert) {
        List<Row> out = new ArrayList<>();
        if (!files.hasNext()) {
            return out.iterator();
        }
        Module model = DataParallelTrainer.replica(factory, 0);
        ParameterCodec.load(model, weights);
        model.eval();
        List<String> paths = new ArrayList<>();
        List<double[]> images = new ArrayList<>();
        while (files.hasNext()) {
            Row r = files.next();
            String path = r.getString(0);
            paths.add(path);
            images.add(grey(path, r.getAs(1), side, invert));
            if (images.size() == BATCH || !files.hasNext()) {
                run(model, paths, images, names, side, out);
                paths.clear();
                images.clear();
            }
        }
        return out.iterator();
    }

    private static void run(Module model, List<String> paths, List<double[]> images, List<String> names, int side,
                            List<Row> out) {
        int n = images.size();
        int plane = side * side;
        double[] x = new double[n * plane];
        for (int i = 0; i < n; i++) {
            System.arraycopy(images.get(i), 0, x, i * plane, plane);
        }
        try (var ignored = Tensor.noGrad()) {
            Tensor p = Functional.softmax(model.forward(Tensor.fromArray(x, Shape.of(n, 1, side, side),
                    DType.FLOAT32)), 1);
            int classes = p.shape().toArray()[1];
            double[] v = p.toArray();
            for (int i = 0; i < n; i++) {
                int best = 0;
                for (int c = 1; c < classes; c++) {
                    if (v[i * classes + c] > v[i * classes + best]) {
                        best = c;
                    }
                }
                String name = best < names.size() ? names.get(best) : Integer.toString(best);
                out.add(RowFactory.create(paths.get(i), name, v[i * classes + best]));
            }
        }
    }

    /** An encoded image as side×side grey values in [0, 1], row-major. */
    static double[] grey(String path, byte[] content, int side, boolean invert) {
        BufferedImage image;
        try {
            image = ImageIO.read(new ByteArrayInputStream(content));
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read image " + path + ": " + e.getMessage(), e);
        }
        if (image == null) {
            throw new IllegalArgumentException(path + " is not an image in a format this JVM can read");
        }
        BufferedImage scaled = new BufferedImage(side, side, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = scaled.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.drawImage(image, 0, 0, side, side, null);
        } finally {
            g.dispose();
        }
        double[] grey = new double[side * side];
        for (int y = 0; y < side; y++) {
            for (int x = 0; x < side; x++) {
                int rgb = scaled.getRGB(x, y);
                double v = (((rgb >> 16) & 0xff) + ((rgb >> 8) & 0xff) + (rgb & 0xff)) / (3 * 255.0);
                grey[y * side + x] = invert ? 1 - v : v;
            }
        }
        return grey;
    }

    /**
     * Writes {@code predictions} to one CSV file on the driver, {@code path,class,probability} with a header,
     * one row per image, sorted by path. Rows stream to the driver a partition at a time.
     */
    public static long writeCsv(Dataset<Row> predictions, Path file) {
        long rows = 0;
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
                w.write("path,class,probability\n");
                Iterator<Row> it = predictions.orderBy("path").toLocalIterator();
                while (it.hasNext()) {
                    Row r = it.next();
                    w.write(csv(r.getString(0)) + "," + csv(r.getString(1)) + "," + r.getDouble(2) + "\n");
                    rows++;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
        return rows;
    }

    private static String csv(String field) {
        if (field.contains(",") || field.contains("\"") || field.contains("\n")) {
            return "\"" + field.replace("\"", "\"\"") + "\"";
        }
        return field;
    }
}
