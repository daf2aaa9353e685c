package io.batchdrop.cli;

import java.io.PrintStream;

final class ValidateCommand implements Main.Command {
  @Override
  public int run(String[] args, PrintStream out, PrintStream err) {
    err.println("not implemented yet");
    return Main.EXIT_USAGE;
  }
}
