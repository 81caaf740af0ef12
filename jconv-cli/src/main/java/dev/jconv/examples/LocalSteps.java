package dev.jconv.examples;

import dev.jconv.data.Batch;
import dev.jconv.data.DataLoader;
import dev.jconv.data.Dataset;
import dev.jconv.data.Transform;
import dev.jconv.nn.CrossEntropyLoss;
import dev.jconv.nn.Module;
import dev.jconv.tensor.Tensor;

/**
 * {@link LeNetTraining}'s steps computed in this process: forward, loss, backward, on the batches of a
 * shuffling {@link DataLoader} over the training set, assembled ahead on a background thread.
 */
public final class LocalSteps implements StepRunner {
    private final CrossEntropyLoss loss = new CrossEntropyLoss();

    @Override
    public DataLoader batches(Dataset train, int batchSize, Transform transform) {
        return DataLoader.builder(train).batchSize(batchSize).shuffle(true).transform(transform).build();
    }

    @Override
    public Tensor images(Batch batch) {
        return batch.images();
    }

    @Override
    public StepResult gradient(Module network, Batch batch) {
        Tensor logits = network.forward(batch.images());
        Tensor l = loss.forward(logits, batch.labels());
        l.backward();
        return new StepResult(l.item(), batch.size(), LeNetTraining.correctCount(logits, batch.labels()));
    }
}
