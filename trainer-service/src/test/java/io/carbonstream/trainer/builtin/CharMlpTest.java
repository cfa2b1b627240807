package io.carbonstream.trainer.builtin;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CharMlpTest {

    @Test
    void flopsAreSixTimesTheMatmulWeightsPerToken() {
        CharMlp m = new CharMlp(30, 8, 24, 256, 1);
        // W = 8 x 24 x 256 + 256 x 30 = 49152 + 7680
        assertEquals(56_832, m.matmulParameters());
        assertEquals(56_832 + 30 * 24 + 256 + 30, m.parameters());
        assertEquals(6L * 56_832 * 128, m.trainingFlops(128));
    }

    @Test
    void lossReallyGoesDownOnTheGeneratedCorpus() {
        Corpus corpus = new Corpus(4000, 7);
        CharMlp m = new CharMlp(corpus.vocabulary(), 8, 24, 256, 42);
        Random random = new Random(3);
        int batch = 64;
        int[][] in = new int[batch][8];
        int[] out = new int[batch];
        double first = 0;
        double lastAverage = 0;
        int steps = 250;
        for (int step = 0; step < steps; step++) {
            for (int n = 0; n < batch; n++) {
                int p = 8 + random.nextInt(corpus.length() - 8);
                for (int c = 0; c < 8; c++) {
                    in[n][c] = corpus.tokenAt(p - 8 + c);
                }
                out[n] = corpus.tokenAt(p);
            }
            double loss = m.trainStep(in, out, 0.1f);
            if (step == 0) {
                first = loss;
            }
            if (step >= steps - 20) {
                lastAverage += loss / 20;
            }
        }
        // a uniform guess over the vocabulary costs ln(V) nats; training must get well below where it started
        assertTrue(first > 2.5, "first loss " + first);
        assertTrue(lastAverage < first * 0.6, "loss went from " + first + " to " + lastAverage);
    }
}
