package dev.jconv.spark;

import dev.jconv.nn.Module;
import java.io.Serializable;

/**
 * Builds a network, ready to run: every layer sized and initialised. It is shipped to Spark's executors, so it
 * must be serializable (a lambda cast to this interface is, when what it captures is). The trainer calls it
 * right after seeding the global generator, on the driver for the initial weights and in every task for a
 * replica; the same seed must therefore give the same network.
 */
@FunctionalInterface
public interface ModelFactory extends Serializable {
    /** A new network with freshly drawn weights. */
    Module create();
}
