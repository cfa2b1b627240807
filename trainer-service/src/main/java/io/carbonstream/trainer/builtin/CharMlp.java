package io.carbonstream.trainer.builtin;

import java.util.Random;

/**
 * A character-level language model that really trains: the previous {@code context} characters are embedded,
 * concatenated, passed through one tanh hidden layer and a softmax over the vocabulary (Bengio et al. 2003,
 * "A Neural Probabilistic Language Model", at toy scale). Plain Java, single thread, SGD.
 *
 * <p>FLOPs are counted exactly for the matrix products: a multiply-add is 2 FLOPs, a forward pass costs
 * {@code 2 x W} per token where W = {@link #matmulParameters()}, and the backward pass twice that, so one
 * training token costs {@code 6 x W} (the "6 N D" rule of Kaplan et al. 2020, exact here).
 */
public final class CharMlp {

    private final int vocab;
    private final int context;
    private final int embed;
    private final int hidden;
    private final float[] emb;      // vocab x embed
    private final float[] w1;       // (context*embed) x hidden
    private final float[] b1;       // hidden
    private final float[] w2;       // hidden x vocab
    private final float[] b2;       // vocab

    public CharMlp(int vocab, int context, int embed, int hidden, long seed) {
        this.vocab = vocab;
        this.context = context;
        this.embed = embed;
        this.hidden = hidden;
        Random r = new Random(seed);
        emb = init(r, vocab * embed, 1.0f);
        w1 = init(r, context * embed * hidden, (float) (1 / Math.sqrt(context * embed)));
        b1 = new float[hidden];
        w2 = init(r, hidden * vocab, (float) (1 / Math.sqrt(hidden)));
        b2 = new float[vocab];
    }

    private static float[] init(Random r, int n, float scale) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) (r.nextGaussian() * scale);
        }
        return a;
    }

    public int context() {
        return context;
    }

    /** Weights of the two matrix products: (context x embed x hidden) + (hidden x vocab). */
    public long matmulParameters() {
        return (long) context * embed * hidden + (long) hidden * vocab;
    }

    /** Every trainable parameter. */
    public long parameters() {
        return matmulParameters() + (long) vocab * embed + hidden + vocab;
    }

    /** FLOPs of training on {@code tokens} predicted tokens: 6 x W x tokens. */
    public long trainingFlops(long tokens) {
        return 6 * matmulParameters() * tokens;
    }

    /**
     * One SGD step on a batch.
     *
     * @param inputs  batch x context token ids
     * @param targets batch next-token ids
     * @return the mean cross-entropy loss (nats) of the batch before the update
     */
    public double trainStep(int[][] inputs, int[] targets, float learningRate) {
        int batch = targets.length;
        int in = context * embed;
        float[] x = new float[in];
        float[] h = new float[hidden];
        float[] logits = new float[vocab];
        float[] dLogits = new float[vocab];
        float[] dh = new float[hidden];
        float[] dx = new float[in];
        float[] gw1 = new float[w1.length];
        float[] gb1 = new float[hidden];
        float[] gw2 = new float[w2.length];
        float[] gb2 = new float[vocab];
        float[] gemb = new float[emb.length];
        double loss = 0;
        for (int n = 0; n < batch; n++) {
            for (int c = 0; c < context; c++) {
                System.arraycopy(emb, inputs[n][c] * embed, x, c * embed, embed);
            }
            for (int j = 0; j < hidden; j++) {
                h[j] = b1[j];
            }
            for (int i = 0; i < in; i++) {
                float xi = x[i];
                int row = i * hidden;
                for (int j = 0; j < hidden; j++) {
                    h[j] += xi * w1[row + j];
                }
            }
            for (int j = 0; j < hidden; j++) {
                h[j] = (float) Math.tanh(h[j]);
            }
            System.arraycopy(b2, 0, logits, 0, vocab);
            for (int j = 0; j < hidden; j++) {
                float hj = h[j];
                int row = j * vocab;
                for (int k = 0; k < vocab; k++) {
                    logits[k] += hj * w2[row + k];
                }
            }
            float max = Float.NEGATIVE_INFINITY;
            for (float l : logits) {
                max = Math.max(max, l);
            }
            double sum = 0;
            for (int k = 0; k < vocab; k++) {
                dLogits[k] = (float) Math.exp(logits[k] - max);
                sum += dLogits[k];
            }
            for (int k = 0; k < vocab; k++) {
                dLogits[k] = (float) (dLogits[k] / sum) / batch;
            }
            loss -= Math.log(Math.max(1e-12, dLogits[targets[n]] * batch));
            dLogits[targets[n]] -= 1.0f / batch;
            // backward: output layer
            for (int j = 0; j < hidden; j++) {
                float hj = h[j];
                int row = j * vocab;
                float acc = 0;
                for (int k = 0; k < vocab; k++) {
                    gw2[row + k] += hj * dLogits[k];
                    acc += w2[row + k] * dLogits[k];
                }
                dh[j] = acc * (1 - hj * hj);
            }
            for (int k = 0; k < vocab; k++) {
                gb2[k] += dLogits[k];
            }
            // backward: hidden layer
            for (int i = 0; i < in; i++) {
                float xi = x[i];
                int row = i * hidden;
                float acc = 0;
                for (int j = 0; j < hidden; j++) {
                    gw1[row + j] += xi * dh[j];
                    acc += w1[row + j] * dh[j];
                }
                dx[i] = acc;
            }
            for (int j = 0; j < hidden; j++) {
                gb1[j] += dh[j];
            }
            for (int c = 0; c < context; c++) {
                int base = inputs[n][c] * embed;
                for (int e = 0; e < embed; e++) {
                    gemb[base + e] += dx[c * embed + e];
                }
            }
        }
        step(w1, gw1, learningRate);
        step(b1, gb1, learningRate);
        step(w2, gw2, learningRate);
        step(b2, gb2, learningRate);
        step(emb, gemb, learningRate);
        return loss / batch;
    }

    private static void step(float[] w, float[] g, float lr) {
        for (int i = 0; i < w.length; i++) {
            w[i] -= lr * g[i];
        }
    }
}
