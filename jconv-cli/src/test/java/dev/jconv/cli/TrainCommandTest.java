package dev.jconv.cli;

import static dev.jconv.cli.Cli.run;
import static dev.jconv.cli.MainTest.assertOneLineError;
import static dev.jconv.cli.MainTest.assertUsageError;
import static org.assertj.core.api.Assertions.assertThat;

import dev.jconv.cli.Cli.Run;
import dev.jconv.examples.LeNetTraining;
import dev.jconv.io.Checkpoint;
import dev.jconv.io.SafeTensors;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code jconv train}: arguments and paths refused before any training, resuming checked against the
 * checkpoint's recipe, checkpoint housekeeping. Trains on a tiny made-up data set, in well under a second.
 */
class TrainCommandTest {
    @TempDir
    Path dir;

    /** A quick run on 32 made-up images, results under {@code dir/out}, plus {@code extra} arguments. */
    private Run train(String model, String... extra) throws IOException {
        Path data = dir.resolve("data");
        if (!Files.isDirectory(data)) {
            Cli.tinyFashionMnist(data, 32);
        }
        List<String> args = new ArrayList<>(List.of("train", model, "--data", data.toString(), "--out",
                dir.resolve("out").toString(), "--batch-size", "16", "--threads", "1"));
        args.addAll(List.of(extra));
        return run(args.toArray(String[]::new));
    }

    @ParameterizedTest
    @ValueSource(strings = {"--lr Infinity|--lr must be a finite number above 0", "--lr NaN|--lr must be",
            "--lr 0|--lr must be", "--lr -0.1|--lr must be", "--epochs 0|--epochs must be at least 1",
            "--batch-size -3|--batch-size must be at least 1", "--limit 0|--limit must be at least 1",
            "--keep 0 --checkpoint-dir c|--keep must be at least 1", "--threads 40000|between 1 and 256",
            "--optimizer rmsprop|--optimizer expects sgd, adam or adamw", "--resume|--resume needs --checkpoint-dir",
            "--keep 2|--keep needs --checkpoint-dir", "--epochs ten|--epochs", "--resize 0|--resize must be at least 1",
            "--resize 32|--resize applies to the modern CNNs only: lenet takes 28x28 images",
            "--workers 2|--workers needs --spark MASTER", "--spark local[2] --workers 0|--workers must be at least 1"})
    void badValuesAreUsageErrors(String line) {
        String[] parts = line.split("\\|");
        List<String> args = new ArrayList<>(List.of("train", "lenet", "--data", dir.toString()));
        args.addAll(List.of(parts[0].split(" ")));
        assertUsageError(run(args.toArray(String[]::new)), parts[1]);
    }

    @Test
    void sparkWithoutJconvSparkOnTheClassPathIsAOneLineFailure() throws IOException {
        Run r = train("lenet", "--spark", "local[2]");
        assertThat(r.code()).isEqualTo(1);
        assertOneLineError(r, "--spark needs jconv-spark and Spark on the class path");
    }

    @Test
    void anUnknownModelIsAUsageError() {
        assertUsageError(run("train", "resnet50"), "unknown model 'resnet50'");
    }

    @Test
    void anEmptyDataDirectoryNamesEveryMissingFile() throws IOException {
        Path empty = Files.createDirectories(dir.resolve("empty"));
        Run r = run("train", "lenet", "--data", empty.toString());
        assertThat(r.code()).isEqualTo(1);
        assertOneLineError(r, "train-images-idx3-ubyte, train-labels-idx1-ubyte, t10k-images-idx3-ubyte, "
                + "t10k-labels-idx1-ubyte");
        assertThat(r.out()).isEmpty();
    }

    @Test
    void aDataFileIsNotADirectory() throws IOException {
        Path file = Files.writeString(dir.resolve("data.txt"), "x");
        Run r = run("train", "--data", file.toString());
        assertThat(r.code()).isEqualTo(1);
        assertOneLineError(r, "is not a directory");
    }

    @Test
    void anOutputOrCheckpointPathThatIsAFileIsRefusedBeforeTraining() throws IOException {
        Path file = Files.writeString(dir.resolve("taken"), "x");
        Cli.tinyFashionMnist(dir.resolve("data"), 32);
        for (String option : new String[] {"--out", "--checkpoint-dir"}) {
            Run r = run("train", "--data", dir.resolve("data").toString(), option, file.toString());
            assertThat(r.code()).isEqualTo(1);
            assertOneLineError(r, option + " " + file + " exists and is not a directory");
            assertThat(r.out()).as("nothing trained").isEmpty();
        }
    }

    @Test
    void trainsAndRecordsTheRecipeInTheWeights() throws IOException {
        Run r = train("lenet-relu", "--epochs", "1", "--lr", "0.002");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).startsWith("training lenet-relu with adam (lr 0.002, batch 16, 1 epochs, seed 0, 1 threads)");
        var meta = SafeTensors.readContents(dir.resolve("out/lenet-relu.safetensors")).metadata();
        assertThat(meta).containsEntry("model", "lenet-relu").containsEntry("optimizer", "adam")
                .containsEntry("lr", "0.002");
    }

    @Test
    void theHeapProbePrintsACapFromOneStepAndTrainsNothing() throws IOException {
        Run r = train("bn-lenet", "--resize", "32", "--heap-plan");
        assertThat(r.code()).as(r.err()).isZero();
        // One line, the JVM options: the cap in MB, at least 256, and three times the live heap as the message
        // reports it, with the young generation above the floor.
        assertThat(r.out().strip()).matches("-Xmx\\d+m( -Xmn\\d+m)?");
        long cap = Long.parseLong(r.out().strip().replaceAll("^-Xmx(\\d+)m.*", "$1"));
        assertThat(r.out().strip()).isEqualTo(HeapPlan.options(cap));
        assertThat(cap).isGreaterThanOrEqualTo(256);
        long young = HeapPlan.youngMegabytes(cap);
        assertThat(r.err()).contains("jconv: heap capped at " + cap + " MB"
                + (young > 0 ? ", " + young + " MB of it young," : "") + " for this run (a step of bn-lenet keeps ");
        assertThat(HeapPlan.youngMegabytes(256)).isZero();
        assertThat(HeapPlan.youngMegabytes(600)).isEqualTo(450);
        assertThat(HeapPlan.options(600)).isEqualTo("-Xmx600m -Xmn450m");
        assertThat(HeapPlan.options(256)).isEqualTo("-Xmx256m");
        assertThat(dir.resolve("out")).doesNotExist();
        assertThat(HeapPlan.capMegabytes(200L << 20)).isEqualTo(600);
        assertThat(HeapPlan.capMegabytes(1L << 20)).isEqualTo(256);
    }

    @Test
    void aModernCnnTrainsWithD2LsRecipeOnResizedImages() throws IOException {
        Run r = train("bn-lenet", "--epochs", "1", "--resize", "32");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).startsWith("training bn-lenet with sgd (lr 0.1, batch 16, 1 epochs, seed 0, 1 threads, "
                + "images resized to 32x32)");
        var meta = SafeTensors.readContents(dir.resolve("out/bn-lenet.safetensors")).metadata();
        assertThat(meta).containsEntry("model", "bn-lenet").containsEntry("optimizer", "sgd")
                .containsEntry("lr", "0.1").containsEntry("resize", "32");
    }

    @Test
    void modernCnnsDefaultToD2LsLearningRateBatchAndImageSize() {
        var alexnet = dev.jconv.examples.LeNetTraining.Config.defaults("alexnet");
        assertThat(List.of(alexnet.optimizer(), alexnet.lr(), alexnet.batchSize(), alexnet.resize()))
                .containsExactly("sgd", 0.01, 128, 224);
        var resnet = dev.jconv.examples.LeNetTraining.Config.defaults("resnet18");
        assertThat(List.of(resnet.lr(), resnet.resize())).containsExactly(0.01, 96);
        assertThat(dev.jconv.examples.LeNetTraining.Config.defaults("lenet").resize()).isZero();
    }

    @Test
    void resumingACheckpointAsAnotherModelIsRefused() throws IOException {
        Path ckpt = dir.resolve("ckpt");
        assertThat(train("lenet", "--epochs", "1", "--checkpoint-dir", ckpt.toString()).code()).isZero();
        Run r = train("lenet-relu", "--epochs", "2", "--checkpoint-dir", ckpt.toString(), "--resume");
        assertThat(r.code()).isEqualTo(1);
        assertOneLineError(r, "is a checkpoint of lenet, not lenet-relu");
        assertThat(r.out()).as("refused before the banner").isEmpty();
        Run optimizer = train("lenet", "--epochs", "2", "--checkpoint-dir", ckpt.toString(), "--resume",
                "--optimizer", "adam");
        assertThat(optimizer.code()).isEqualTo(1);
        assertOneLineError(optimizer, "was trained with sgd, not adam");
    }

    @Test
    void resumingKeepsTheCheckpointsLrUnlessLrIsGivenAndTheBannerSaysWhich() throws IOException {
        Path ckpt = dir.resolve("ckpt");
        assertThat(train("lenet", "--epochs", "1", "--lr", "0.3", "--checkpoint-dir", ckpt.toString()).code()).isZero();
        assertThat(Checkpoint.load(Checkpoint.latest(ckpt)).notes()).containsEntry("model", "lenet")
                .containsEntry("optimizer", "sgd").containsEntry("lr", "0.3");

        Run kept = train("lenet", "--epochs", "2", "--checkpoint-dir", ckpt.toString(), "--resume");
        assertThat(kept.code()).as(kept.err()).isZero();
        assertThat(kept.out()).startsWith("training lenet with sgd (lr 0.3, the checkpoint's, batch 16, 2 epochs")
                .contains("resuming from").contains("epoch 2/2");

        Run replaced = train("lenet", "--epochs", "3", "--checkpoint-dir", ckpt.toString(), "--resume", "--lr", "0.1");
        assertThat(replaced.code()).as(replaced.err()).isZero();
        assertThat(replaced.out()).startsWith("training lenet with sgd (lr 0.1, replacing the checkpoint's 0.3,")
                .contains("lr 0.1 replaces the checkpoint's 0.3");
        assertThat(Checkpoint.load(Checkpoint.latest(ckpt)).notes()).containsEntry("lr", "0.1");
        assertThat(SafeTensors.readContents(dir.resolve("out/lenet.safetensors")).metadata())
                .containsEntry("lr", "0.1");
    }

    @Test
    void leftoverTemporaryFilesAreRemovedAndKeepPrunesOldCheckpoints() throws IOException {
        Path ckpt = Files.createDirectories(dir.resolve("ckpt"));
        Path orphan = Files.writeString(ckpt.resolve(".epoch-007.safetensors.123456.tmp"), "half a file");
        Path notes = Files.writeString(ckpt.resolve("notes.txt"), "mine");
        Run r = train("lenet", "--epochs", "3", "--checkpoint-dir", ckpt.toString(), "--keep", "2");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("removed 1 unfinished checkpoint file(s)");
        assertThat(orphan).doesNotExist();
        assertThat(notes).exists();
        assertThat(Checkpoint.list(ckpt)).extracting(p -> p.getFileName().toString())
                .containsExactly("epoch-002.safetensors", "epoch-003.safetensors");
    }

    @Test
    void checkResumableAcceptsCheckpointsWithoutARecipe() {
        var c = LeNetTraining.Config.defaults("lenet-relu");
        var old = new Checkpoint(1, java.util.Map.of(), java.util.Map.of(), java.util.Map.of(), java.util.Map.of());
        LeNetTraining.checkResumable(old, dir.resolve("old.safetensors"), c);
    }
}
