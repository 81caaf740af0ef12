package dev.jconv.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jconv.Reference;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The later chapters' cells print what PyTorch prints for the same cells, block by block. */
class ChaptersMatchPyTorchTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource({"channels, channels-expected.txt", "pooling, pooling-expected.txt"})
    void everyCellMatches(String chapter, String referenceFile) {
        Notebook nb = new Notebook(s -> { });
        Chapters.named(chapter).run(nb, null);
        List<Reference.Block> expected = Reference.blocks(referenceFile);
        assertThat(nb.cells()).extracting(Notebook.Cell::number)
                .containsExactlyElementsOf(expected.stream().map(Reference.Block::number).toList());
        for (int i = 0; i < expected.size(); i++) {
            assertThat(Reference.trimBlankLines(nb.cells().get(i).output()))
                    .as("%s In [%d]", chapter, expected.get(i).number()).isEqualTo(expected.get(i).text());
        }
    }
}
