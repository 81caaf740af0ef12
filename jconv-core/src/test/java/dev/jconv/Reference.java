package dev.jconv;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Reads the PyTorch reference files copied under {@code src/test/resources/reference/}. */
public final class Reference {
    /** One cell's printed block from a reference file. */
    public record Block(int number, String text) {
    }

    private Reference() {
    }

    /** The whole text of a reference resource. */
    public static String read(String name) {
        try (InputStream in = Reference.class.getResourceAsStream("/reference/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("missing test resource /reference/" + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The blocks of an expected-output file: each starts after an {@code In [N]:} line and runs to the next
     * such line; leading {@code #} comment lines of the file and the blank lines separating blocks are not
     * part of any block.
     */
    public static List<Block> blocks(String name) {
        List<Block> blocks = new ArrayList<>();
        Integer number = null;
        StringBuilder current = new StringBuilder();
        for (String line : read(name).split("\n", -1)) {
            if (line.matches("In \\[\\d+\\]:")) {
                if (number != null) {
                    blocks.add(new Block(number, trimBlankLines(current.toString())));
                }
                number = Integer.parseInt(line.substring(4, line.length() - 2));
                current.setLength(0);
            } else if (number != null) {
                current.append(line).append('\n');
            }
        }
        if (number != null) {
            blocks.add(new Block(number, trimBlankLines(current.toString())));
        }
        return blocks;
    }

    /**
     * The sections of an expected-output file made of {@code ## title} headings: title (without the
     * {@code ## }) to the text up to the next heading, trailing blank lines dropped, in file order.
     */
    public static java.util.LinkedHashMap<String, String> sections(String name) {
        var sections = new java.util.LinkedHashMap<String, String>();
        String title = null;
        StringBuilder current = new StringBuilder();
        for (String line : read(name).split("\n", -1)) {
            if (line.startsWith("## ")) {
                if (title != null) {
                    sections.put(title, trimBlankLines(current.toString()));
                }
                title = line.substring(3);
                current.setLength(0);
            } else if (title != null) {
                current.append(line).append('\n');
            }
        }
        if (title != null) {
            sections.put(title, trimBlankLines(current.toString()));
        }
        return sections;
    }

    /** Drops trailing blank lines: a block is what the cell printed, up to its last non-empty line. */
    public static String trimBlankLines(String s) {
        return s.replaceAll("\\s+$", "");
    }
}
