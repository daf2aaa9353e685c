package io.batchdrop.testing;

import java.util.List;

/**
 * How to launch one emulator process and how to tell that it is serving.
 *
 * @param name a short name for messages and thread names
 * @param command the program and its arguments
 * @param readyLine text the emulator prints once it accepts requests
 * @param port the port it was told to listen on, on 127.0.0.1
 */
record EmulatorCommand(String name, List<String> command, String readyLine, int port) {

  EmulatorCommand {
    command = List.copyOf(command);
  }

  String hostPort() {
    return "127.0.0.1:" + port;
  }
}
