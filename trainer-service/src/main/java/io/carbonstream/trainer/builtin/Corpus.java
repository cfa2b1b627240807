package io.carbonstream.trainer.builtin;

import java.util.Random;

/**
 * A generated English-like corpus: sentences drawn from a small grammar with a fixed seed, so it has real
 * structure to learn (words, spacing, punctuation) and is identical on every machine.
 */
public final class Corpus {

    private static final String[] SUBJECTS = {"the model", "a training run", "the cluster", "every batch", "the grid",
            "our team", "the accelerator", "this job", "the data centre", "a transformer"};
    private static final String[] VERBS = {"uses", "needs", "measures", "saves", "counts", "draws", "reports",
            "learns", "burns", "tracks"};
    private static final String[] OBJECTS = {"energy", "carbon", "power", "tokens", "watts", "the loss",
            "clean electricity", "each step", "more data", "less time"};
    private static final String[] ENDINGS = {" today.", " at night.", " in the cloud.", " every hour.", ".",
            " when the wind blows.", " without waste.", " on the grid."};

    private final String text;
    private final String alphabet;

    public Corpus(int sentences, long seed) {
        Random r = new Random(seed);
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < sentences; i++) {
            b.append(pick(r, SUBJECTS)).append(' ').append(pick(r, VERBS)).append(' ').append(pick(r, OBJECTS))
                    .append(pick(r, ENDINGS)).append(' ');
        }
        text = b.toString();
        alphabet = text.chars().distinct().sorted()
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
    }

    private static String pick(Random r, String[] options) {
        return options[r.nextInt(options.length)];
    }

    public int vocabulary() {
        return alphabet.length();
    }

    public int length() {
        return text.length();
    }

    /** The id of the character at {@code position}. */
    public int tokenAt(int position) {
        return alphabet.indexOf(text.charAt(position));
    }
}
