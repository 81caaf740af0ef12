package dev.jconv.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jconv.NotebookFile;
import dev.jconv.NotebookFile.CodeCell;
import dev.jconv.Reference;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The notebooks as files, without running them (NotebooksIT executes them): each follows its reference file
 * cell for cell (or section for section), is stored without outputs, and uses jconv the way a reader would.
 */
class NotebookFilesTest {
    static final Path DIR = Path.of(System.getProperty("jconv.basedir", ".")).resolve("notebooks");

    static List<Path> notebooks() {
        return NotebookFile.all(DIR);
    }

    @Test
    void everyChapterHasItsNotebook() {
        assertThat(notebooks()).extracting(p -> p.getFileName().toString())
                .containsAll(Chapters.all().stream().map(Chapter::name).map(n -> n + ".ipynb").toList());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("notebooks")
    void mapsItsCodeCellsOntoTheReference(Path path) {
        NotebookFile nb = NotebookFile.read(path);
        assertThat(nb.kernelName()).as("%s: kernelspec name", path).isEqualTo(NotebookFile.KERNEL_NAME);
        assertThat(nb.reference()).as("%s: notebook metadata jconv.reference", path).isNotNull();
        for (CodeCell cell : nb.cells()) {
            assertThat(cell.mapped()).as("%s: %s has no cell metadata jconv.reference_cell (a number, or null) or "
                    + "jconv.reference_section", path, cell.label()).isTrue();
        }
        List<Integer> blocks = Reference.blocks(nb.reference()).stream().map(Reference.Block::number).toList();
        List<Integer> mapped = nb.cells().stream().map(CodeCell::referenceCell).filter(Objects::nonNull).toList();
        if (blocks.isEmpty()) {
            // A reference of ## sections: shared by several chapters, each notebook prints some, in file order.
            List<String> titles = List.copyOf(Reference.sections(nb.reference()).keySet());
            List<String> sections = sections(nb);
            assertThat(mapped).as("%s: In [N] cells against a reference of sections", path).isEmpty();
            assertThat(titles).as("%s: sections of %s", path, nb.reference()).containsAll(sections);
            assertThat(sections.stream().map(titles::indexOf).toList()).as("%s: sections in file order", path)
                    .isSorted();
        } else {
            assertThat(mapped).as("%s: reference cells of the code cells, in order, against the In [N] blocks of %s",
                    path, nb.reference()).isEqualTo(blocks);
        }
    }

    @Test
    void theNotebooksOfASectionedReferencePrintEachSectionOnce() {
        Map<String, List<String>> printed = new TreeMap<>();
        for (Path path : notebooks()) {
            NotebookFile nb = NotebookFile.read(path);
            if (Reference.blocks(nb.reference()).isEmpty()) {
                printed.computeIfAbsent(nb.reference(), r -> new ArrayList<>()).addAll(sections(nb));
            }
        }
        assertThat(printed).as("notebooks following ## sections").isNotEmpty();
        printed.forEach((reference, sections) -> assertThat(sections).as(reference)
                .containsExactlyInAnyOrderElementsOf(Reference.sections(reference).keySet()));
    }

    private static List<String> sections(NotebookFile nb) {
        return nb.cells().stream().map(CodeCell::referenceSection).filter(Objects::nonNull).toList();
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
