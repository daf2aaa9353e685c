package io.batchdrop.cli;

import io.batchdrop.validation.Backend;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/** {@code --backend vertex|gemini-api}: whose rules a file is checked with, as submit does. */
final class BackendOption {
  @Option(
      names = "--backend",
      paramLabel = "vertex|gemini-api",
      converter = BackendConverter.class,
      description =
          "The batch service the file is for; its rules apply, as in submit (default vertex).")
  Backend backend = Backend.VERTEX;

  static final class BackendConverter implements ITypeConverter<Backend> {
    @Override
    public Backend convert(String value) {
      try {
        return Backend.parse(value);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(e.getMessage());
      }
    }
  }
}
