package dev.jconv.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jconv.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Checkpoint files in a directory: listing by epoch, leftover temporary files, pruning. */
class CheckpointTest {

    private static void save(Path dir, int epoch) {
        new Checkpoint(epoch, Map.of("w", Tensor.ones(2)), Map.of(), Map.of(), Map.of("model", "lenet"))
                .save(Checkpoint.fileFor(dir, epoch));
    }

    @Test
    void listsByEpochNotByName(@TempDir Path dir) {
        for (int epoch : new int[] {2, 1000, 10}) {
            save(dir, epoch);
        }
        assertThat(Checkpoint.list(dir)).extracting(p -> p.getFileName().toString())
                .containsExactly("epoch-002.safetensors", "epoch-010.safetensors", "epoch-1000.safetensors");
        assertThat(Checkpoint.latest(dir).getFileName()).hasToString("epoch-1000.safetensors");
        assertThat(Checkpoint.list(dir.resolve("none"))).isEmpty();
        assertThat(Checkpoint.latest(dir.resolve("none"))).isNull();
    }

    @Test
    void aFlippedByteInTheValuesFailsTheLoadNamingTheChecksum(@TempDir Path dir) throws IOException {
        new Checkpoint(1, Map.of("w", Tensor.arange(0, 64, 1, dev.jconv.storage.DType.FLOAT32)), Map.of(), Map.of(),
                Map.of()).save(Checkpoint.fileFor(dir, 1));
        Path file = Checkpoint.fileFor(dir, 1);
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length - 10] ^= 0x40; // inside the last float's bytes
        Files.write(file, bytes);
        assertThatThrownBy(() -> Checkpoint.load(file)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("is damaged").hasMessageContaining("checksum");
    }

    @Test
    void anUndamagedCheckpointLoadsWithTheSameValues(@TempDir Path dir) {
        Tensor w = Tensor.arange(0, 64, 1, dev.jconv.storage.DType.FLOAT32);
        new Checkpoint(3, Map.of("w", w), Map.of(), Map.of(), Map.of()).save(Checkpoint.fileFor(dir, 3));
        Checkpoint c = Checkpoint.load(Checkpoint.fileFor(dir, 3));
        assertThat(c.model().get("w").toFloatArray()).containsExactly(w.toFloatArray());
        assertThat(c.notes()).doesNotContainKey("checksum");
    }

    @Test
    void notesRoundTrip(@TempDir Path dir) {
        save(dir, 1);
        assertThat(Checkpoint.load(Checkpoint.fileFor(dir, 1)).notes()).containsEntry("model", "lenet");
    }

    @Test
    void removesOnlyTemporaryFiles(@TempDir Path dir) throws IOException {
        save(dir, 1);
        Files.writeString(dir.resolve(".epoch-002.safetensors.99.tmp"), "partial");
        Files.writeString(dir.resolve("other.tmp"), "partial");
        Files.writeString(dir.resolve("readme.txt"), "keep");
        assertThat(Checkpoint.removeTemporaryFiles(dir)).isEqualTo(2);
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .containsExactlyInAnyOrder("epoch-001.safetensors", "readme.txt");
        }
        assertThat(Checkpoint.removeTemporaryFiles(dir.resolve("none"))).isZero();
    }

    @Test
    void pruneKeepsTheNewest(@TempDir Path dir) {
        for (int epoch = 1; epoch <= 4; epoch++) {
            save(dir, epoch);
        }
        assertThat(Checkpoint.prune(dir, 0)).isEmpty();
        assertThat(Checkpoint.prune(dir, 5)).isEmpty();
        assertThat(Checkpoint.prune(dir, 2)).extracting(p -> p.getFileName().toString())
                .containsExactly("epoch-001.safetensors", "epoch-002.safetensors");
        assertThat(Checkpoint.list(dir)).hasSize(2);
        assertThatThrownBy(() -> Checkpoint.prune(dir, -1)).isInstanceOf(IllegalArgumentException.class);
    }
}
