package io.batchdrop.localstack;

import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The gRPC library logs through java.util.logging: start-up facts at INFO (netty's "Epoll available
 * during static init of TcpMetrics") that land on stderr between the report's lines, where a script
 * of {@code demo --json} reads them as noise. Its warnings and errors still show: on the local
 * stack they may be the only word on an emulator gone wrong. Held here: the logging framework keeps
 * loggers weakly, and a level set on a collected logger is lost.
 */
final class LibraryLogging {
  private static final Logger GRPC = Logger.getLogger("io.grpc");

  private LibraryLogging() {}

  /** Called first by each command's {@code main}, before any gRPC class loads. */
  static void quiet() {
    GRPC.setLevel(Level.WARNING);
  }
}
