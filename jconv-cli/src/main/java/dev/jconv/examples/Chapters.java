package dev.jconv.examples;

import java.util.List;

/** The chapters jconv can run, by name. */
public final class Chapters {
    private Chapters() {
    }

    /** Every chapter, in reading order. */
    public static List<Chapter> all() {
        return List.of(new ConvolutionsChapter(), new ChannelsChapter(), new PoolingChapter(), new AlexNetChapter(),
                new VggChapter(), new NinChapter(), new GoogLeNetChapter(), new BatchNormChapter(), new ResNetChapter(),
                new DenseNetChapter(), new RegNetChapter());
    }

    /** The chapter called {@code name}; null gives the first one. */
    public static Chapter named(String name) {
        if (name == null) {
            return all().getFirst();
        }
        for (Chapter c : all()) {
            if (c.name().equals(name)) {
                return c;
            }
        }
        throw new IllegalArgumentException("no chapter named '" + name + "'; known: "
                + all().stream().map(Chapter::name).toList());
    }
}
