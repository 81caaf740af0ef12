package dev.jconv.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jconv.Reference;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every cell of the seed chapter prints, character for character, what PyTorch printed for it. */
class ConvolutionsChapterTest {

    private static Notebook run(Long seed) {
        Notebook nb = new Notebook(s -> { });
        new ConvolutionsChapter().run(nb, seed);
        return nb;
    }

    private static void assertMatches(Notebook nb, String referenceFile) {
        List<Reference.Block> expected = Reference.blocks(referenceFile);
        List<Notebook.Cell> cells = nb.cells();
        assertThat(cells).extracting(Notebook.Cell::number)
                .containsExactlyElementsOf(expected.stream().map(Reference.Block::number).toList());
        for (int i = 0; i < expected.size(); i++) {
            assertThat(Reference.trimBlankLines(cells.get(i).output()))
                    .as("output of cell In [%d]", expected.get(i).number())
                    .isEqualTo(expected.get(i).text());
        }
    }

    @Test
    void replayingTheNotebookPrintsWhatTheNotebookPrinted() {
        assertMatches(run(null), "expected-notebook.txt");
    }

    @Test
    void withManualSeedZeroItPrintsWhatPyTorchPrints() {
        assertMatches(run(0L), "expected-pytorch-manual-seed-0.txt");
    }

    @Test
    void renderedTextHoldsEachBlockIntactAfterItsCellMarker() {
        Notebook nb = run(null);
        String text = nb.text();
        int from = 0;
        for (Reference.Block b : Reference.blocks("expected-notebook.txt")) {
            String marker = "In [" + b.number() + "]:\n" + (b.text().isEmpty() ? "" : b.text() + "\n");
            int at = text.indexOf(marker, from);
            assertThat(at).as("block of In [%d] in order", b.number()).isGreaterThanOrEqualTo(from);
            from = at + marker.length();
        }
    }

    @Test
    void theReplaySaysWhichKernelItStartsFrom() {
        assertThat(run(null).text()).contains("[0.2993, 0.6984]");
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 42})
    void otherSeedsLearnAKernelCloseToTheEdgeDetector(long seed) {
        Notebook nb = run(seed);
        String learned = nb.cells().stream().filter(c -> c.number() == 12).findFirst().orElseThrow().output();
        assertThat(learned).startsWith("tensor([[ ").contains(", -");
    }

    @Test
    void stepByStepDerivationsFollowEachPaddingAndStrideCell() {
        String text = run(null).text();
        assertThat(text).contains("""
                Output Height = floor((Input Height - Kernel Height + 2 * Padding Height) / Stride Height) + 1
                              = floor((8 - 3 + 2 * 0) / 3) + 1
                              = floor((5 + 0) / 3) + 1
                              = floor(5 / 3) + 1
                              = floor(1.666...) + 1
                              = 1 + 1 = 2
                """);
        assertThat(text).contains("""
                Output Width = floor((Input Width - Kernel Width + 2 * Padding Width) / Stride Width) + 1
                             = floor((8 - 5 + 2 * 1) / 4) + 1
                             = floor((3 + 2) / 4) + 1
                             = floor(5 / 4) + 1
                             = floor(1.25) + 1
                             = 1 + 1 = 2
                """);
        assertThat(text.split("Output shape: ", -1)).hasSize(5);
    }
}
