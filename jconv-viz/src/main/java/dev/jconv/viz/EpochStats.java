package dev.jconv.viz;

/**
 * What one epoch of training measured, as D2L's {@code train_ch6} reports it: the mean training loss and
 * accuracy over the epoch's samples, the accuracy on the test set after the epoch, and the wall time.
 * A value not measured may be {@code NaN}; plots leave it out and CSV writes {@code nan}.
 *
 * @param epoch         the epoch number, counted from 1
 * @param trainLoss     mean loss per training sample
 * @param trainAccuracy fraction of training samples classified right, in [0, 1]
 * @param testAccuracy  fraction of test samples classified right, in [0, 1]
 * @param seconds       wall time of the epoch
 */
public record EpochStats(int epoch, double trainLoss, double trainAccuracy, double testAccuracy, double seconds) {}
