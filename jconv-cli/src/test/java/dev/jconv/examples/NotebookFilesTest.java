package dev.jconv.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jconv.NotebookFile;
import dev.jconv.NotebookFile.CodeCell;
import dev.jconv.Reference;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The notebooks as files, without running them (NotebooksIT executes them): each follows its reference file
 * cell for cell, is stored without outputs, and uses jconv the way a reader would.
 */
class NotebookFilesTest {
    static final Path DIR = Path.of(System.getProperty("jconv.basedir", ".")).resolve("notebooks");

    static List<Path> notebooks() {
        return NotebookFile.all(DIR);
    }

    /**
     * Chapters whose notebook is not written yet. Their reference file is organised in {@code ## } sections
     * rather than {@code In [N]} blocks, so the notebooks need a mapping of their own; until then the
     * chapters are checked by ModernCnnChaptersTest only.
     */
    private static final Set<String> WITHOUT_NOTEBOOK = Set.of("alexnet", "vgg", "nin", "googlenet", "batch-norm",
            "resnet", "densenet", "regnet");

    @Test
    void everyChapterHasItsNotebook() {
        assertThat(notebooks()).extracting(p -> p.getFileName().toString())
                .containsAll(Chapters.all().stream().map(Chapter::name).filter(n -> !WITHOUT_NOTEBOOK.contains(n))
                        .map(n -> n + ".ipynb").toList());
    }

    @Test
    void chaptersListedWithoutNotebookReallyHaveNone() {
        assertThat(notebooks()).extracting(p -> p.getFileName().toString())
                .doesNotContainAnyElementsOf(WITHOUT_NOTEBOOK.stream().map(n -> n + ".ipynb").toList());
        assertThat(Chapters.all()).extracting(Chapter::name).containsAll(WITHOUT_NOTEBOOK);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("notebooks")
    void mapsItsCodeCellsOntoTheReferenceBlocks(Path path) {
        NotebookFile nb = NotebookFile.read(path);
        assertThat(nb.kernelName()).as("%s: kernelspec name", path).isEqualTo(NotebookFile.KERNEL_NAME);
        assertThat(nb.reference()).as("%s: notebook metadata jconv.reference", path).isNotNull();
        for (CodeCell cell : nb.cells()) {
            assertThat(cell.mapped()).as("%s: %s has no cell metadata jconv.reference_cell (a number, or null)",
                    path, cell.label()).isTrue();
        }
        List<Integer> mapped = nb.cells().stream().map(CodeCell::referenceCell).filter(Objects::nonNull).toList();
        List<Integer> blocks = Reference.blocks(nb.reference()).stream().map(Reference.Block::number).toList();
        assertThat(mapped).as("%s: reference cells of the code cells, in order, against the In [N] blocks of %s",
                path, nb.reference()).isEqualTo(blocks);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("notebooks")
    void isStoredWithoutOutputs(Path path) {
        for (CodeCell cell : NotebookFile.read(path).cells()) {
            assertThat(cell.outputs().isEmpty() && cell.executionCount() == null)
                    .as("%s: %s holds outputs; clear them before committing (Kernel > Restart & Clear Output)",
                            path, cell.label()).isTrue();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("notebooks")
    void importsOnlyTheTeachingHelpersFromExamples(Path path) {
        Pattern examplesImport = Pattern.compile("import\\s+(?:static\\s+)?dev\\.jconv\\.examples\\.(\\w+)");
        for (CodeCell cell : NotebookFile.read(path).cells()) {
            Matcher m = examplesImport.matcher(cell.source());
            while (m.find()) {
                assertThat(m.group(1)).as("%s: %s imports dev.jconv.examples.%s", path, cell.label(), m.group(1))
                        .isIn("Corr2d", "MultiChannel", "Conv2D");
            }
        }
    }
}
