package dev.jconv.viz;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.Optional;
import org.junit.jupiter.api.Assumptions;

/**
 * For tests that draw text. Without fonts such a test cannot run: on CI (CI=true) that is a broken machine
 * and fails, naming the packages to install; elsewhere (a developer's minimal container) it is skipped
 * with the same message.
 */
final class FontsRequired {
    private FontsRequired() {}

    static void assume() {
        check(Fonts.problem(), System.getenv("CI"));
    }

    static void check(Optional<String> problem, String ci) {
        if (problem.isEmpty()) {
            return;
        }
        if (ci != null && (ci.equalsIgnoreCase("true") || ci.equals("1"))) {
            fail(problem.get());
        }
        Assumptions.abort(problem.get());
    }
}
