package dev.jconv.viz;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

/** What tests and users are told when fonts are missing. */
class FontsTest {
    private static final Optional<String> MISSING = Optional.of(Fonts.explain("no font families are installed"));

    @Test
    void theMessageNamesTheDebianPackages() {
        assertThat(MISSING.get()).startsWith("cannot draw text: no font families are installed.")
                .contains("fontconfig").contains("fonts-dejavu-core")
                .endsWith("(apt-get install fontconfig fonts-dejavu-core)");
    }

    @Test
    void missingFontsFailOnCi() {
        assertThatThrownBy(() -> FontsRequired.check(MISSING, "true"))
                .isInstanceOf(AssertionFailedError.class).hasMessage(MISSING.get());
    }

    @Test
    void missingFontsSkipElsewhere() {
        assertThatThrownBy(() -> FontsRequired.check(MISSING, null))
                .isInstanceOf(TestAbortedException.class).hasMessageContaining("fonts-dejavu-core");
        assertThatThrownBy(() -> FontsRequired.check(MISSING, "false")).isInstanceOf(TestAbortedException.class);
    }

    @Test
    void fontsPresentMeansNothingToDo() {
        assertThatCode(() -> FontsRequired.check(Optional.empty(), "true")).doesNotThrowAnyException();
    }

    @Test
    void requireAgreesWithProblem() {
        if (Fonts.problem().isPresent()) {
            assertThatThrownBy(Fonts::require).isInstanceOf(IllegalStateException.class)
                    .hasMessage(Fonts.problem().get());
        } else {
            assertThatCode(Fonts::require).doesNotThrowAnyException();
        }
    }

    @Test
    void probingSetsHeadlessWhenUnset() {
        Fonts.problem();
        assertThat(System.getProperty("java.awt.headless")).isNotNull();
    }
}
