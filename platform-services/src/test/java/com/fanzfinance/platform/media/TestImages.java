package com.fanzfinance.platform.media;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Random;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/**
 * Pictures drawn for the tests with java.awt — a gradient background, shapes and text, laid out from a seed
 * so each seed is a different picture — and the edits a re-uploader makes: re-encoding, resizing,
 * brightening.
 */
final class TestImages {
    private TestImages() {
    }

    /** A 256×256 picture of its own for each {@code seed}. */
    static BufferedImage picture(long seed) {
        Random random = new Random(seed);
        BufferedImage image = new BufferedImage(256, 256, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setPaint(new GradientPaint(random.nextInt(256), random.nextInt(256), color(random), random.nextInt(256),
            random.nextInt(256), color(random)));
        g.fillRect(0, 0, 256, 256);
        for (int i = 0; i < 6; i++) {
            g.setColor(color(random));
            int x = random.nextInt(200);
            int y = random.nextInt(200);
            int w = 30 + random.nextInt(120);
            int h = 30 + random.nextInt(120);
            if (random.nextBoolean()) {
                g.fillOval(x, y, w, h);
            } else {
                g.fillRect(x, y, w, h);
            }
        }
        g.setStroke(new BasicStroke(6));
        g.setColor(color(random));
        g.drawLine(random.nextInt(256), random.nextInt(256), random.nextInt(256), random.nextInt(256));
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 40));
        g.setColor(color(random));
        g.drawString("FANZ " + seed, 10 + random.nextInt(60), 60 + random.nextInt(160));
        g.dispose();
        return image;
    }

    private static Color color(Random random) {
        return new Color(random.nextInt(256), random.nextInt(256), random.nextInt(256));
    }

    static BufferedImage resized(BufferedImage image, int width, int height) {
        BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BICUBIC);
        g.drawImage(image, 0, 0, width, height, null);
        g.dispose();
        return out;
    }

    /** Every channel times {@code factor} (capped at 255). */
    static BufferedImage brightened(BufferedImage image, double factor) {
        BufferedImage out = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                int rgb = image.getRGB(x, y);
                int r = Math.min(255, (int) Math.round(((rgb >> 16) & 0xff) * factor));
                int gr = Math.min(255, (int) Math.round(((rgb >> 8) & 0xff) * factor));
                int b = Math.min(255, (int) Math.round((rgb & 0xff) * factor));
                out.setRGB(x, y, (r << 16) | (gr << 8) | b);
            }
        }
        return out;
    }

    static byte[] png(BufferedImage image) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            if (!ImageIO.write(image, "png", out)) {
                throw new IllegalStateException("no PNG writer");
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code image} as a JPEG of {@code quality} (0–1). */
    static byte[] jpeg(BufferedImage image, float quality) {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        try (ByteArrayOutputStream bytes = new ByteArrayOutputStream();
             MemoryCacheImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(quality);
            writer.setOutput(out);
            writer.write(null, new IIOImage(image, null, null), param);
            out.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            writer.dispose();
        }
    }

    static BufferedImage decode(byte[] bytes) {
        try {
            return ImageIO.read(new java.io.ByteArrayInputStream(bytes));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
