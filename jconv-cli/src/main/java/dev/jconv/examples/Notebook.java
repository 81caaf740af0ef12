package dev.jconv.examples;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Collects what a chapter produces: headings, prose, and numbered code cells with the text each printed.
 * Cells keep their output separately so tests can compare them with PyTorch's, block by block.
 */
public final class Notebook {
    /** One executed code cell: its notebook number and everything it printed. */
    public record Cell(int number, String output) {
    }

    private final StringBuilder text = new StringBuilder();
    private final List<Cell> cells = new ArrayList<>();
    private final Consumer<String> sink;

    /** @param sink receives each piece of rendered text as soon as it is produced (e.g. System.out::print) */
    public Notebook(Consumer<String> sink) {
        this.sink = sink;
    }

    private void emit(String s) {
        text.append(s);
        sink.accept(s);
    }

    /** A section title. */
    public void heading(String title) {
        emit("## " + title + "\n\n");
    }

    /** Explanatory prose between cells. */
    public void note(String prose) {
        emit(prose.strip() + "\n\n");
    }

    /** Runs a code cell; what it prints through the given printer becomes the cell's output block. */
    public void cell(int number, Consumer<Printer> body) {
        Printer p = new Printer();
        body.accept(p);
        String out = p.out.toString();
        cells.add(new Cell(number, out));
        emit("In [" + number + "]:\n" + out + "\n");
    }

    /** The cells run so far, in order. */
    public List<Cell> cells() {
        return List.copyOf(cells);
    }

    /** Everything rendered so far. */
    public String text() {
        return text.toString();
    }

    /** What a cell prints with; {@link #println(Object)} uses the object's {@code toString()} like Python's print. */
    public static final class Printer {
        private final StringBuilder out = new StringBuilder();

        public void println(Object value) {
            out.append(value).append('\n');
        }

        /** Prints a boolean as Python does: {@code True} or {@code False}. */
        public void println(boolean value) {
            println(value ? "True" : "False");
        }
    }
}
