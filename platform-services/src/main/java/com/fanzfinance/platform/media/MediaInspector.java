package com.fanzfinance.platform.media;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

import com.fanzfinance.platform.common.Problem;

/**
 * Checks that an uploaded file really is what its {@code Content-Type} says and reads what the service keeps
 * about it. JPEG, PNG and GIF are decoded with that format's own {@code javax.imageio} reader (a PNG sent as
 * JPEG, or a truncated file, is 422 {@code undecodable-image}) and hashed with {@link ImageHashes}; the image
 * is decoded subsampled to at most {@value #HASH_SOURCE_EDGE} pixels on its long edge, so a huge picture
 * cannot exhaust memory, and one over the pixel limit is refused before decoding; a reader's warning (such as
 * a JPEG that ends early) counts as a failure. The JDK has no WebP
 * decoder: a WebP's RIFF container and bitstream header are checked and its size read, and it gets no
 * perceptual hash. Videos are checked only by their container signature (MP4 {@code ftyp}, WebM EBML).
 */
final class MediaInspector {
    static final Set<String> CONTENT_TYPES = Set.of("image/jpeg", "image/png", "image/gif", "image/webp", "video/mp4",
        "video/webm");
    private static final Map<String, String> IMAGEIO_FORMATS = Map.of("image/jpeg", "jpeg", "image/png", "png",
        "image/gif", "gif");
    private static final int HASH_SOURCE_EDGE = 512;

    private final long maxPixels;

    MediaInspector(long maxPixels) {
        this.maxPixels = maxPixels;
    }

    /** What was learnt about a file: its size in pixels and hashes (all null when not known). */
    record Facts(Integer width, Integer height, Long phash, Long dhash) {
        static final Facts NONE = new Facts(null, null, null, null);
    }

    /** The facts of {@code file} of {@code contentType} (one of {@link #CONTENT_TYPES}), or 422. */
    Facts inspect(Path file, String contentType) {
        try {
            if (IMAGEIO_FORMATS.containsKey(contentType)) {
                return image(file, IMAGEIO_FORMATS.get(contentType));
            }
            byte[] head = head(file, 64);
            return switch (contentType) {
                case "image/webp" -> webp(head);
                case "video/mp4" -> signature(head, 4, new byte[] {'f', 't', 'y', 'p'}, "MP4");
                case "video/webm" -> signature(head, 0, new byte[] {0x1a, 0x45, (byte) 0xdf, (byte) 0xa3}, "WebM");
                default -> throw new IllegalArgumentException("not an accepted content type: " + contentType);
            };
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Facts image(Path file, String format) throws IOException {
        try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
            ImageReader reader = readerOf(in, format);
            try {
                reader.setInput(in, true, true);
                List<String> warnings = new ArrayList<>();
                reader.addIIOReadWarningListener((source, warning) -> warnings.add(warning));
                int width = reader.getWidth(0);
                int height = reader.getHeight(0);
                if (width <= 0 || height <= 0) {
                    throw undecodable(format);
                }
                if ((long) width * height > maxPixels) {
                    throw Problem.unprocessable("image-too-large", "the image has " + width + "×" + height
                        + " pixels; at most " + maxPixels + " pixels are taken");
                }
                ImageReadParam param = reader.getDefaultReadParam();
                int period = Math.max(1, (Math.max(width, height) + HASH_SOURCE_EDGE - 1) / HASH_SOURCE_EDGE);
                param.setSourceSubsampling(period, period, 0, 0);
                BufferedImage image = reader.read(0, param);
                if (!warnings.isEmpty()) {
                    throw undecodable(format);
                }
                return new Facts(width, height, ImageHashes.phash(image), ImageHashes.dhash(image));
            } catch (IOException | RuntimeException e) {
                if (e instanceof Problem problem) {
                    throw problem;
                }
                throw undecodable(format);
            } finally {
                reader.dispose();
            }
        }
    }

    /** The reader of {@code format} among those that recognise the stream (the others disposed), or 422. */
    private static ImageReader readerOf(ImageInputStream in, String format) {
        ImageReader chosen = null;
        for (Iterator<ImageReader> readers = ImageIO.getImageReaders(in); readers.hasNext(); ) {
            ImageReader reader = readers.next();
            if (chosen == null && Arrays.asList(reader.getOriginatingProvider().getFormatNames()).contains(format)) {
                chosen = reader;
            } else {
                reader.dispose();
            }
        }
        if (chosen == null) {
            throw undecodable(format);
        }
        return chosen;
    }

    /** A WebP: {@code RIFF <size> WEBP} and a lossy ({@code VP8 }), lossless ({@code VP8L}) or extended ({@code VP8X}) chunk. */
    private static Facts webp(byte[] head) {
        if (head.length < 30 || !matches(head, 0, "RIFF") || !matches(head, 8, "WEBP")) {
            throw undecodable("WebP");
        }
        if (matches(head, 12, "VP8 ")) {
            if ((head[23] & 0xff) != 0x9d || (head[24] & 0xff) != 0x01 || (head[25] & 0xff) != 0x2a) {
                throw undecodable("WebP");
            }
            return sized(little(head, 26, 2) & 0x3fff, little(head, 28, 2) & 0x3fff);
        }
        if (matches(head, 12, "VP8L")) {
            if ((head[20] & 0xff) != 0x2f) {
                throw undecodable("WebP");
            }
            int bits = little(head, 21, 4);
            return sized((bits & 0x3fff) + 1, ((bits >>> 14) & 0x3fff) + 1);
        }
        if (matches(head, 12, "VP8X")) {
            return sized(little(head, 24, 3) + 1, little(head, 27, 3) + 1);
        }
        throw undecodable("WebP");
    }

    private static Facts sized(int width, int height) {
        if (width <= 0 || height <= 0) {
            throw undecodable("WebP");
        }
        return new Facts(width, height, null, null);
    }

    private static Facts signature(byte[] head, int at, byte[] expected, String what) {
        if (head.length < at + expected.length || !Arrays.equals(head, at, at + expected.length, expected, 0,
            expected.length)) {
            throw Problem.unprocessable("undecodable-video", "the body is not a " + what + " file");
        }
        return Facts.NONE;
    }

    private static boolean matches(byte[] bytes, int at, String ascii) {
        for (int i = 0; i < ascii.length(); i++) {
            if (bytes[at + i] != (byte) ascii.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private static int little(byte[] bytes, int at, int length) {
        int value = 0;
        for (int i = length - 1; i >= 0; i--) {
            value = (value << 8) | (bytes[at + i] & 0xff);
        }
        return value;
    }

    private static byte[] head(Path file, int length) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return in.readNBytes(length);
        }
    }

    private static Problem undecodable(String format) {
        return Problem.unprocessable("undecodable-image", "the body does not decode as a " + format.toUpperCase(
            java.util.Locale.ROOT) + " image");
    }
}
