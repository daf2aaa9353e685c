package io.batchdrop.emulator.vertex;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Base64;
import javax.imageio.ImageIO;

/**
 * The "generated" image of an image answer: a real PNG (a consumer can decode it), one colour
 * chosen by the prompt so different prompts give different images, as base64 the way Gemini puts
 * bytes in {@code inlineData.data}.
 */
final class GeneratedImage {

  static final String MIME_TYPE = "image/png";
  static final int SIDE = 64;

  /** What Gemini image models count for one generated image. */
  static final long TOKENS = 1290;

  private GeneratedImage() {}

  static String base64Png(String prompt) {
    BufferedImage image = new BufferedImage(SIDE, SIDE, BufferedImage.TYPE_INT_RGB);
    int rgb = prompt.hashCode() & 0xFFFFFF;
    for (int y = 0; y < SIDE; y++) {
      for (int x = 0; x < SIDE; x++) {
        image.setRGB(x, y, rgb);
      }
    }
    ByteArrayOutputStream png = new ByteArrayOutputStream();
    try {
      if (!ImageIO.write(image, "png", png)) {
        throw new IllegalStateException("the JDK has no PNG writer");
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return Base64.getEncoder().encodeToString(png.toByteArray());
  }
}
