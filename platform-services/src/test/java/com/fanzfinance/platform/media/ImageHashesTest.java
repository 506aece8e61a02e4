package com.fanzfinance.platform.media;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;

import org.junit.jupiter.api.Test;

/**
 * The pHash and dHash definitions on hand-checked cases (a flat image, gradients, a single DCT frequency)
 * and their purpose: edits of one picture stay close, different pictures are far apart.
 */
class ImageHashesTest {
    @Test
    void aConstantImageHashesToZero() {
        BufferedImage flat = new BufferedImage(50, 40, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = flat.createGraphics();
        g.setColor(new Color(90, 120, 200));
        g.fillRect(0, 0, 50, 40);
        g.dispose();
        assertThat(ImageHashes.phash(flat)).isZero();
        assertThat(ImageHashes.dhash(flat)).isZero();
    }

    @Test
    void aLeftToRightBrighteningGradientHasADhashOfAllOnesAndTheMirrorAllZeros() {
        BufferedImage rising = new BufferedImage(90, 30, BufferedImage.TYPE_INT_RGB);
        BufferedImage falling = new BufferedImage(90, 30, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 30; y++) {
            for (int x = 0; x < 90; x++) {
                int level = x * 255 / 89;
                rising.setRGB(x, y, level * 0x010101);
                falling.setRGB(89 - x, y, level * 0x010101);
            }
        }
        assertThat(ImageHashes.dhash(rising)).isEqualTo(-1L);
        assertThat(ImageHashes.hex(ImageHashes.dhash(rising))).isEqualTo("ffffffffffffffff");
        assertThat(ImageHashes.dhash(falling)).isZero();
    }

    @Test
    void aSingleCosineFrequencySetsOnlyItsOwnBit() {
        // f(x, y) = 128 + 100·cos((2x+1)π/64): only the DCT coefficient (v=0, u=1) is non-zero, so the median
        // of the 63 AC terms is 0 and only bit 1 (the second most significant) is set.
        double[][] horizontal = new double[32][32];
        double[][] vertical = new double[32][32];
        for (int y = 0; y < 32; y++) {
            for (int x = 0; x < 32; x++) {
                horizontal[y][x] = 128 + 100 * Math.cos((2 * x + 1) * Math.PI / 64);
                vertical[y][x] = 128 + 100 * Math.cos((2 * y + 1) * Math.PI / 64);
            }
        }
        assertThat(ImageHashes.phash(horizontal)).isEqualTo(1L << 62);
        assertThat(ImageHashes.phash(vertical)).isEqualTo(1L << (63 - 8));
    }

    @Test
    void areaAveragingKeepsTheMeanAndEnlargesSmallImages() {
        double[][] two = {{0, 100}};
        double[][] four = ImageHashes.resize(two, 2, 1, 4, 1);
        assertThat(four[0]).containsExactly(0, 0, 100, 100);
        double[][] one = ImageHashes.resize(new double[][] {{0, 30, 60, 90}}, 4, 1, 1, 1);
        assertThat(one[0][0]).isEqualTo(45.0);
    }

    @Test
    void editsOfAPictureStayCloseAndDifferentPicturesAreFar() {
        BufferedImage original = TestImages.picture(1);
        long phash = ImageHashes.phash(original);
        long dhash = ImageHashes.dhash(original);
        BufferedImage[] edits = {
            TestImages.decode(TestImages.jpeg(original, 0.9f)),
            TestImages.decode(TestImages.jpeg(original, 0.3f)),
            TestImages.resized(original, 128, 128),
            TestImages.resized(original, 400, 300),
            TestImages.brightened(original, 1.1),
        };
        for (BufferedImage edit : edits) {
            assertThat(ImageHashes.distance(phash, ImageHashes.phash(edit))).isLessThanOrEqualTo(10);
            assertThat(ImageHashes.distance(dhash, ImageHashes.dhash(edit))).isLessThanOrEqualTo(12);
        }
        for (long seed = 2; seed <= 12; seed++) {
            assertThat(ImageHashes.distance(phash, ImageHashes.phash(TestImages.picture(seed))))
                .as("picture %d against picture 1", seed).isGreaterThan(20);
        }
    }

    @Test
    void distanceCountsDifferingBits() {
        assertThat(ImageHashes.distance(0L, -1L)).isEqualTo(64);
        assertThat(ImageHashes.distance(0b1011L, 0b0001L)).isEqualTo(2);
        assertThat(ImageHashes.hex(1L)).isEqualTo("0000000000000001");
    }
}
