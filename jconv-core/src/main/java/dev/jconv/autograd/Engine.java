package dev.jconv.autograd;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BinaryOperator;

/**
 * Runs the backward pass: visits the graph below a root in reverse topological order, so every node runs
 * once with the sum of all gradients flowing into it. Uses an explicit stack (deep graphs cannot overflow
 * the call stack) and ordered lists (the summation order, hence the result, is deterministic).
 */
public final class Engine {
    private Engine() {
    }

    /**
     * Propagates {@code gradient} from {@code root} to the leaves.
     *
     * @param add         sums two gradients arriving at the same node
     * @param retainGraph keep saved values so the graph can be run again
     */
    public static <T> void backward(Node<T> root, T gradient, BinaryOperator<T> add, boolean retainGraph) {
        List<Node<T>> order = topologicalOrder(root);
        Map<Node<T>, T> pending = new IdentityHashMap<>();
        pending.put(root, gradient);
        try (NoGrad ignored = GradMode.disable()) {
            for (Node<T> node : order) {
                T grad = pending.remove(node);
                if (grad == null) {
                    continue;
                }
                List<T> inputGrads = node.apply(grad);
                List<Node<T>> inputs = node.inputs();
                for (int i = 0; i < inputs.size(); i++) {
                    Node<T> next = inputs.get(i);
                    T g = inputGrads.get(i);
                    if (next == null || g == null) {
                        continue;
                    }
                    pending.merge(next, g, add);
                }
                if (!retainGraph) {
                    node.release();
                }
            }
        }
    }

    /** Nodes reachable from root, each after every node that feeds gradient into it. */
    private static <T> List<Node<T>> topologicalOrder(Node<T> root) {
        Map<Node<T>, Boolean> state = new IdentityHashMap<>(); // false: on stack, true: finished
        List<Node<T>> postOrder = new ArrayList<>();
        ArrayDeque<Object[]> stack = new ArrayDeque<>();
        stack.push(new Object[] {root, 0});
        state.put(root, false);
        while (!stack.isEmpty()) {
            Object[] frame = stack.peek();
            @SuppressWarnings("unchecked")
            Node<T> node = (Node<T>) frame[0];
            int next = (Integer) frame[1];
            List<Node<T>> inputs = node.inputs();
            while (next < inputs.size() && (inputs.get(next) == null || state.containsKey(inputs.get(next)))) {
                next++;
            }
            if (next < inputs.size()) {
                frame[1] = next + 1;
                Node<T> child = inputs.get(next);
                state.put(child, false);
                stack.push(new Object[] {child, 0});
            } else {
                stack.pop();
                state.put(node, true);
                postOrder.add(node);
            }
        }
        List<Node<T>> order = new ArrayList<>(postOrder.size());
        for (int i = postOrder.size() - 1; i >= 0; i--) {
            order.add(postOrder.get(i));
        }
        return order;
    }
}
