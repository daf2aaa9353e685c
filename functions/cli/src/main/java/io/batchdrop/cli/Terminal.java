package io.batchdrop.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Tells whether a person is likely watching stderr. */
final class Terminal {
  private Terminal() {}

  static boolean stderrIsTerminal() {
    // System.console() only looks at stdin and stdout; on Linux, /proc tells what fd 2 really is,
    // so "2>log.txt" gets no carriage-return noise.
    if (System.console() == null) {
      return false;
    }
    Path fd2 = Path.of("/proc/self/fd/2");
    if (!Files.exists(fd2, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      return true;
    }
    try {
      String target = Files.readSymbolicLink(fd2).toString();
      return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
    } catch (IOException | UnsupportedOperationException e) {
      return true;
    }
  }
}
