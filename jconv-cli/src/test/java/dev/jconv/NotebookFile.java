package dev.jconv;

import dev.jconv.internal.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A Jupyter notebook under {@code notebooks/}, read as the tests need it: the reference file it follows
 * (notebook metadata {@code jconv.reference}), and its code cells with their mapping to the reference's
 * {@code In [N]} blocks (cell metadata {@code jconv.reference_cell}: N, or null for a cell PyTorch has no
 * counterpart of, which then prints nothing) or, for reference files made of {@code ## title} sections, to
 * those sections (cell metadata {@code jconv.reference_section}: the title), and, once executed, their outputs.
 */
public record NotebookFile(Path path, String reference, String kernelName, List<CodeCell> cells) {

    /** The kernel spec every notebook runs on. */
    public static final String KERNEL_NAME = "jconv-java";

    /**
     * One code cell.
     *
     * @param position the cell's position among all cells, from 0
     * @param mapped whether the cell's metadata says which reference block it prints (possibly none)
     * @param referenceCell the {@code In [N]} number it prints the block of, or null
     * @param referenceSection the title of the {@code ## } section it prints, or null
     * @param display a MIME type the cell must show (e.g. {@code image/png}), or null
     */
    public record CodeCell(int position, String id, boolean mapped, Integer referenceCell, String referenceSection,
            String display, String source, Object executionCount, List<Output> outputs) {

        /** Everything the cell wrote to standard output, in order. */
        public String stdout() {
            return stream("stdout");
        }

        /** Everything the cell wrote to standard error, in order. */
        public String stderr() {
            return stream("stderr");
        }

        private String stream(String name) {
            StringBuilder sb = new StringBuilder();
            for (Output o : outputs) {
                if (o.type().equals("stream") && name.equals(o.name())) {
                    sb.append(o.text());
                }
            }
            return sb.toString();
        }

        /** Whether the cell prints a reference block or section (unmapped cells print nothing). */
        public boolean printsReference() {
            return referenceCell != null || referenceSection != null;
        }

        /** A name for messages: the reference cell or section, or the position of an unmapped cell. */
        public String label() {
            if (referenceCell != null) {
                return "In [" + referenceCell + "]";
            }
            return referenceSection != null ? "## " + referenceSection : "code cell at position " + position;
        }
    }

    /**
     * One output of an executed cell.
     *
     * @param type {@code stream}, {@code display_data}, {@code execute_result} or {@code error}
     * @param name the stream's name, or null
     * @param text the stream's text, or for an error its name, value and traceback (ANSI colours removed)
     * @param mimeTypes the MIME types of display data and results
     */
    public record Output(String type, String name, String text, List<String> mimeTypes) {
    }

    /** The notebooks in {@code dir}, by file name. */
    public static List<Path> all(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".ipynb")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads a notebook file. */
    public static NotebookFile read(Path path) {
        String text;
        try {
            text = Files.readString(path);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, Object> nb = Json.object(Json.parse(text), path.toString());
        Map<String, Object> meta = Json.object(nb.get("metadata"), "metadata");
        String reference = null;
        if (meta.get("jconv") instanceof Map<?, ?> jconv && jconv.get("reference") instanceof String r) {
            reference = r;
        }
        String kernel = null;
        if (meta.get("kernelspec") instanceof Map<?, ?> spec && spec.get("name") instanceof String k) {
            kernel = k;
        }
        List<CodeCell> cells = new ArrayList<>();
        List<Object> all = Json.array(nb.get("cells"), "cells");
        for (int i = 0; i < all.size(); i++) {
            Map<String, Object> cell = Json.object(all.get(i), "cells[" + i + "]");
            if (!"code".equals(cell.get("cell_type"))) {
                continue;
            }
            boolean mapped = false;
            Integer ref = null;
            String section = null;
            String display = null;
            if (cell.get("metadata") instanceof Map<?, ?> cm && cm.get("jconv") instanceof Map<?, ?> jm) {
                mapped = jm.containsKey("reference_cell") || jm.containsKey("reference_section");
                if (jm.get("reference_cell") != null) {
                    ref = Math.toIntExact(Json.longValue(jm.get("reference_cell"), "reference_cell"));
                }
                if (jm.get("reference_section") != null) {
                    section = Json.string(jm.get("reference_section"), "reference_section");
                }
                if (jm.get("display") instanceof String d) {
                    display = d;
                }
            }
            List<Output> outputs = new ArrayList<>();
            if (cell.get("outputs") instanceof List<?> outs) {
                for (Object o : outs) {
                    outputs.add(output(Json.object(o, "output")));
                }
            }
            cells.add(new CodeCell(i, cell.get("id") instanceof String id ? id : null, mapped, ref, section, display,
                    joined(cell.get("source")), cell.get("execution_count"), outputs));
        }
        return new NotebookFile(path, reference, kernel, cells);
    }

    private static Output output(Map<String, Object> o) {
        String type = Json.string(o.get("output_type"), "output_type");
        return switch (type) {
            case "stream" -> new Output(type, Json.string(o.get("name"), "name"), joined(o.get("text")), List.of());
            case "error" -> new Output(type, null, String.valueOf(o.get("ename")) + ": " + o.get("evalue") + "\n"
                    + stripAnsi(lines(o.get("traceback"))), List.of());
            default -> new Output(type, null, null, o.get("data") instanceof Map<?, ?> data
                    ? data.keySet().stream().map(String::valueOf).toList() : List.of());
        };
    }

    /** Notebook text fields are a string or a list of strings (lines), to be joined without separators. */
    private static String joined(Object v) {
        if (v == null) {
            return "";
        }
        if (v instanceof String s) {
            return s;
        }
        StringBuilder sb = new StringBuilder();
        for (Object part : Json.array(v, "text")) {
            sb.append(part);
        }
        return sb.toString();
    }

    /** An error's traceback is a list of lines. */
    private static String lines(Object v) {
        if (!(v instanceof List<?> list)) {
            return "";
        }
        return String.join("\n", list.stream().map(String::valueOf).toList());
    }

    private static String stripAnsi(String s) {
        return s.replaceAll("\u001b\\[[0-9;]*m", "");
    }
}
