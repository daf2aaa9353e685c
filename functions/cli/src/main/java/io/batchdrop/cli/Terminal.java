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
    return isTerminal(2);
  }

  /** Whether standard output is a terminal: colour and bars only then, never in a pipe or file. */
  static boolean stdoutIsTerminal() {
    return isTerminal(1);
  }

  private static boolean isTerminal(int fd) {
    if (System.console() == null) {
      return false;
    }
    Path fd2 = Path.of("/proc/self/fd/" + fd);
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
