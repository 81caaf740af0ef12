package dev.jconv.cli;

import static dev.jconv.cli.Cli.run;
import static org.assertj.core.api.Assertions.assertThat;

import dev.jconv.Reference;
import dev.jconv.cli.Cli.Run;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code jconv summary} prints what PyTorch's layer summary prints, and fails where PyTorch fails. */
class SummaryCommandTest {
    private static final String EXPECTED = "summary-expected.txt";

    /** Each section of the reference file: its title ({@code MODEL NxCxHxW}) and what PyTorch printed. */
    static Stream<Arguments> sections() {
        return Reference.sections(EXPECTED).entrySet().stream().map(e -> Arguments.of(e.getKey(), e.getValue()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("sections")
    void printsWhatPyTorchPrints(String title, String expected) {
        String[] modelAndInput = title.split(" ");
        Run r = run("summary", modelAndInput[0], "--input", modelAndInput[1]);
        int error = expected.indexOf("error: ");
        if (error < 0) {
            assertThat(r.out()).isEqualTo(expected + "\n");
            assertThat(r.err()).isEmpty();
            assertThat(r.code()).isZero();
        } else {
            assertThat(r.out()).isEqualTo(expected.substring(0, error));
            String message = expected.substring(error + "error: ".length());
            assertThat(r.err()).isEqualTo("jconv: " + message + "\n");
            assertThat(r.code()).isEqualTo(Main.FAILURE);
        }
    }

    @Test
    void referenceCoversEveryModelAndSomeFailures() {
        Map<String, String> sections = Reference.sections(EXPECTED);
        assertThat(sections.keySet().stream().map(t -> t.split(" ")[0]).distinct())
                .containsExactlyInAnyOrderElementsOf(dev.jconv.models.Models.names());
        assertThat(sections.values()).filteredOn(s -> s.contains("error: ")).hasSizeGreaterThanOrEqualTo(3);
    }

    @ParameterizedTest
    @ValueSource(strings = {"1x1x28", "1x1x28x28x1", "0x1x28x28", "1x1x-2x28", "1x1xbx28", ""})
    void anInputThatIsNotFourPositiveSizesIsAUsageError(String input) {
        Run r = run("summary", "bn-lenet", "--input", input);
        assertThat(r.code()).isEqualTo(Main.USAGE);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).startsWith("jconv: Invalid value for option '--input'")
                .endsWith("see 'jconv summary --help'\n").hasLineCount(1);
    }

    @Test
    void anUnknownModelIsAUsageErrorNamingTheKnownOnes() {
        Run r = run("summary", "resnet50", "--input", "1x1x96x96");
        assertThat(r.code()).isEqualTo(Main.USAGE);
        assertThat(r.err()).startsWith("jconv: unknown model 'resnet50'; known: alexnet, vgg11,").hasLineCount(1);
    }

    @Test
    void theModelIsRequired() {
        Run r = run("summary", "--input", "1x1x96x96");
        assertThat(r.code()).isEqualTo(Main.USAGE);
        assertThat(r.err()).contains("MODEL").hasLineCount(1);
    }
}
