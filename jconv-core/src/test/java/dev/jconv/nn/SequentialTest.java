package dev.jconv.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import org.junit.jupiter.api.Test;

/** Reaching a layer of a Sequential with its own type. */
class SequentialTest {
    private final Sequential net = new Sequential(new Conv2d(1, 2, 3), new ReLU(), new Linear(4, 2));

    @Test
    void aTypedGetReturnsTheLayerWithoutACast() {
        Conv2d conv = net.get(0, Conv2d.class);
        assertThat(conv.weight().shape().toArray()).containsExactly(2, 1, 3, 3);
        assertThat(net.get(2, Linear.class).outFeatures()).isEqualTo(2);
    }

    @Test
    void aLayerOfAnotherClassIsRefusedNamingBoth() {
        assertThatIllegalArgumentException().isThrownBy(() -> net.get(1, Conv2d.class))
                .withMessage("layer 1 is a ReLU, not a Conv2d");
    }

    @Test
    void anIndexPastTheEndIsRefused() {
        assertThatIllegalArgumentException().isThrownBy(() -> net.get(3, Module.class))
                .withMessageContaining("out of range for a Sequential of 3 layers");
    }
}
