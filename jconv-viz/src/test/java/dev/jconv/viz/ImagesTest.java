package dev.jconv.viz;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import dev.jconv.tensor.Tensor;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading images for {@code predict}: sizes, and pictures too large to decode. */
class ImagesTest {

    @Test
    void aPictureIsScaledToTheModelsSizeAsGreyLevels(@TempDir Path dir) throws IOException {
        BufferedImage white = new BufferedImage(40, 30, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 30; y++) {
            for (int x = 0; x < 40; x++) {
                white.setRGB(x, y, 0xffffff);
            }
        }
        Path file = dir.resolve("white.png");
        ImageIO.write(white, "png", file.toFile());
        Tensor t = Images.readGrey(file, 28, false);
        assertThat(t.shape().toArray()).containsExactly(1, 28, 28);
        assertThat(t.max().item()).isEqualTo(1.0);
    }

    @Test
    void aPngDeclaringThirtyThousandPixelsSquareIsRefusedBeforeDecoding(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("huge.png");
        Files.write(file, pngHeaderOnly(30000, 30000));
        assertThatIllegalArgumentException().isThrownBy(() -> Images.readGrey(file, 28, false))
                .withMessageContaining("30000 x 30000 pixels");
    }

    /** The PNG signature, an IHDR chunk for an 8-bit grey image of the given size, and IEND: no pixels at all. */
    private static byte[] pngHeaderOnly(int width, int height) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
        chunk(out, "IHDR", ByteBuffer.allocate(13).putInt(width).putInt(height).put((byte) 8).put((byte) 0)
                .put((byte) 0).put((byte) 0).put((byte) 0).array());
        chunk(out, "IEND", new byte[0]);
        return out.toByteArray();
    }

    private static void chunk(ByteArrayOutputStream out, String type, byte[] data) throws IOException {
        byte[] typeBytes = type.getBytes(StandardCharsets.US_ASCII);
        CRC32 crc = new CRC32();
        crc.update(typeBytes);
        crc.update(data);
        out.write(ByteBuffer.allocate(4).putInt(data.length).array());
        out.write(typeBytes);
        out.write(data);
        out.write(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }
}
