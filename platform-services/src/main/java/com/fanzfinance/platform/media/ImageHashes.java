package com.fanzfinance.platform.media;

import java.awt.image.BufferedImage;

/**
 * Perceptual hashes of images, computed here with plain Java so their definitions are ours and stable:
 * pictures that look alike (re-encoded, resized, slightly brightened) get hashes a small Hamming distance
 * apart, different pictures about half the bits apart.
 *
 * <ul>
 * <li><b>pHash</b> (DCT): luminance, area-averaged to 32×32, orthonormal 2-D DCT-II; of the 8×8 block of
 * lowest frequencies (u, v = 0…7) the 63 AC coefficients are compared with their median — bit = coefficient
 * above the median. The DC term (mean brightness) takes no part in the median and its bit is always 0, so a
 * brightness shift cannot move the threshold.</li>
 * <li><b>dHash</b> (gradient): luminance, area-averaged to 9 wide × 8 high; bit = the right neighbour is
 * brighter than the left one (a left-to-right dark-to-light gradient is all ones, a constant image all zeros).</li>
 * </ul>
 * Bits are in row-major order from the most significant bit: bit {@code i} of the 8×8 grid is
 * {@code 1L << (63 - i)}. Transparent pixels are composited over white first. Differences smaller than a
 * rounding tolerance count as equal, so flat areas give stable zeros rather than floating-point noise.
 */
public final class ImageHashes {
    private static final int DCT_SIZE = 32;
    private static final int BLOCK = 8;
    private static final double[][] COSINES = cosines();

    private ImageHashes() {
    }

    /** The 64-bit DCT pHash of {@code image}. */
    public static long phash(BufferedImage image) {
        return phash(resize(luminance(image), image.getWidth(), image.getHeight(), DCT_SIZE, DCT_SIZE));
    }

    /** The pHash of a 32×32 luminance grid ({@code pixels[y][x]}). */
    static long phash(double[][] pixels) {
        double[][] rows = new double[DCT_SIZE][BLOCK];
        for (int y = 0; y < DCT_SIZE; y++) {
            for (int u = 0; u < BLOCK; u++) {
                double sum = 0;
                for (int x = 0; x < DCT_SIZE; x++) {
                    sum += pixels[y][x] * COSINES[u][x];
                }
                rows[y][u] = sum;
            }
        }
        double[] block = new double[BLOCK * BLOCK];
        for (int v = 0; v < BLOCK; v++) {
            for (int u = 0; u < BLOCK; u++) {
                double sum = 0;
                for (int y = 0; y < DCT_SIZE; y++) {
                    sum += rows[y][u] * COSINES[v][y];
                }
                block[v * BLOCK + u] = sum;
            }
        }
        double[] ac = java.util.Arrays.copyOfRange(block, 1, block.length);
        java.util.Arrays.sort(ac);
        double median = ac[ac.length / 2];
        double tolerance = 1e-9 * Math.max(1, Math.abs(block[0]));
        long hash = 0;
        for (int i = 1; i < block.length; i++) {
            if (block[i] - median > tolerance) {
                hash |= 1L << (63 - i);
            }
        }
        return hash;
    }

    /** The 64-bit dHash of {@code image}. */
    public static long dhash(BufferedImage image) {
        return dhash(resize(luminance(image), image.getWidth(), image.getHeight(), BLOCK + 1, BLOCK));
    }

    /** The dHash of a 9-wide, 8-high luminance grid ({@code pixels[y][x]}). */
    static long dhash(double[][] pixels) {
        long hash = 0;
        for (int y = 0; y < BLOCK; y++) {
            for (int x = 0; x < BLOCK; x++) {
                if (pixels[y][x + 1] - pixels[y][x] > 1e-9 * 255) {
                    hash |= 1L << (63 - (y * BLOCK + x));
                }
            }
        }
        return hash;
    }

    /** The number of bits in which {@code a} and {@code b} differ. */
    public static int distance(long a, long b) {
        return Long.bitCount(a ^ b);
    }

    /** A hash as 16 lowercase hex digits. */
    public static String hex(long hash) {
        return String.format("%016x", hash);
    }

    /** Luminance (ITU-R BT.601) of every pixel, 0–255, transparent pixels over white ({@code [y][x]}). */
    static double[][] luminance(BufferedImage image) {
        int width = image.getWidth();
        int height = image.getHeight();
        double[][] out = new double[height][width];
        int[] row = new int[width];
        for (int y = 0; y < height; y++) {
            image.getRGB(0, y, width, 1, row, 0, width);
            for (int x = 0; x < width; x++) {
                int argb = row[x];
                double alpha = (argb >>> 24) / 255.0;
                double gray = 0.299 * ((argb >> 16) & 0xff) + 0.587 * ((argb >> 8) & 0xff) + 0.114 * (argb & 0xff);
                out[y][x] = alpha * gray + (1 - alpha) * 255;
            }
        }
        return out;
    }

    /**
     * {@code pixels} ({@code height} rows of {@code width}) resampled to {@code toWidth × toHeight} by area
     * averaging: each output pixel is the mean of the input area it covers, pixels counted by the fraction
     * covered (so it shrinks and enlarges alike).
     */
    static double[][] resize(double[][] pixels, int width, int height, int toWidth, int toHeight) {
        double[][] across = new double[height][];
        for (int y = 0; y < height; y++) {
            across[y] = resample(pixels[y], toWidth);
        }
        double[][] out = new double[toHeight][toWidth];
        double[] column = new double[height];
        for (int x = 0; x < toWidth; x++) {
            for (int y = 0; y < height; y++) {
                column[y] = across[y][x];
            }
            double[] resized = resample(column, toHeight);
            for (int y = 0; y < toHeight; y++) {
                out[y][x] = resized[y];
            }
        }
        return out;
    }

    private static double[] resample(double[] in, int size) {
        double[] out = new double[size];
        double scale = (double) in.length / size;
        for (int i = 0; i < size; i++) {
            double from = i * scale;
            double to = (i + 1) * scale;
            double sum = 0;
            for (int j = (int) Math.floor(from); j < in.length && j < to; j++) {
                double covered = Math.min(to, j + 1) - Math.max(from, j);
                if (covered > 0) {
                    sum += in[j] * covered;
                }
            }
            out[i] = sum / scale;
        }
        return out;
    }

    private static double[][] cosines() {
        double[][] table = new double[BLOCK][DCT_SIZE];
        for (int u = 0; u < BLOCK; u++) {
            double alpha = Math.sqrt((u == 0 ? 1.0 : 2.0) / DCT_SIZE);
            for (int x = 0; x < DCT_SIZE; x++) {
                table[u][x] = alpha * Math.cos((2 * x + 1) * u * Math.PI / (2 * DCT_SIZE));
            }
        }
        return table;
    }
}
