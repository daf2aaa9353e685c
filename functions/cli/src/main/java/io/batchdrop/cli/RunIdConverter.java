package io.batchdrop.cli;

import io.batchdrop.cloud.run.RunId;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** The RUN argument: a run id as submit computes it (20 lowercase hex digits). */
final class RunIdConverter implements ITypeConverter<RunId> {
  @Override
  public RunId convert(String value) {
    try {
      return new RunId(value.trim());
    } catch (IllegalArgumentException e) {
      throw new TypeConversionException(
          "\""
              + (value.length() > 64 ? value.substring(0, 64) + "…" : value)
              + "\" is not a run id; expected 20 hex digits, as `batchdrop submit` and"
              + " `batchdrop runs` print them");
    }
  }
}
