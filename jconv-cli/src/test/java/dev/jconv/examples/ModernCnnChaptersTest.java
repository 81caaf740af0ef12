package dev.jconv.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jconv.Reference;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The modern-CNN chapters print, cell by cell, the sections PyTorch printed for the same networks. */
class ModernCnnChaptersTest {
    private static final String EXPECTED = "modern-cnn-expected.txt";

    /** Each chapter and the titles of its sections in the expected file, in cell order. */
    private static final Map<String, List<String>> SECTIONS = Map.of(
            "alexnet", List.of("alexnet layer_summary(1, 1, 224, 224)", "print(alexnet) after initialisation"),
            "vgg", List.of("vgg11 layer_summary(1, 1, 224, 224)"),
            "nin", List.of("nin layer_summary(1, 1, 224, 224)"),
            "googlenet", List.of("googlenet layer_summary(1, 1, 96, 96)"),
            "batch-norm", List.of("bn-lenet layer_summary(2, 1, 28, 28)"),
            "resnet", List.of("resnet18 layer_summary(1, 1, 96, 96)", "print(resnet18) after initialisation",
                    "Residual blocks on (4, 3, 6, 6)"),
            "densenet", List.of("densenet layer_summary(1, 1, 96, 96)",
                    "DenseBlock(2, 10) and transition_block(10) on (4, 3, 8, 8)"),
            "regnet", List.of("regnetx32 layer_summary(1, 1, 96, 96)"));

    static Stream<String> chapters() {
        return SECTIONS.keySet().stream().sorted();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("chapters")
    void everyCellMatchesItsSection(String chapter) {
        Notebook nb = new Notebook(s -> { });
        Chapters.named(chapter).run(nb, null);
        Map<String, String> expected = Reference.sections(EXPECTED);
        List<String> titles = SECTIONS.get(chapter);
        assertThat(nb.cells()).hasSize(titles.size());
        for (int i = 0; i < titles.size(); i++) {
            assertThat(Reference.trimBlankLines(nb.cells().get(i).output())).as("%s: %s", chapter, titles.get(i))
                    .isEqualTo(expected.get(titles.get(i)));
            assertThat(nb.text()).contains("## " + titles.get(i) + "\n");
        }
    }

    @Test
    void everySectionOfTheExpectedFileBelongsToOneChapter() {
        List<String> covered = SECTIONS.values().stream().flatMap(List::stream).toList();
        assertThat(covered).containsExactlyInAnyOrderElementsOf(Reference.sections(EXPECTED).keySet());
    }
}
