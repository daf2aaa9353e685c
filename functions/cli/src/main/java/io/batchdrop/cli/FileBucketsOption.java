package io.batchdrop.cli;

import io.batchdrop.validation.BucketNames;
import io.batchdrop.validation.ValidatorConfig;
import java.util.LinkedHashSet;
import java.util.List;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code --allowed-file-buckets B[,B...]}: the deployment's {@code BATCHDROP_ALLOWED_FILE_BUCKETS},
 * for commands that check a file without a deployment. Not read from the environment: a shell's
 * stray setting must not change what a check says without the operator asking for it.
 */
final class FileBucketsOption {
  @Option(
      names = "--allowed-file-buckets",
      paramLabel = "B[,B...]",
      split = ",",
      converter = BucketConverter.class,
      description =
          "The buckets fileData.fileUri may point into, as the deployment's"
              + " BATCHDROP_ALLOWED_FILE_BUCKETS says (default: any bucket).")
  List<String> buckets = List.of();

  ValidatorConfig applyTo(ValidatorConfig config) {
    return buckets.isEmpty() ? config : config.withAllowedFileBuckets(new LinkedHashSet<>(buckets));
  }

  static final class BucketConverter implements ITypeConverter<String> {
    @Override
    public String convert(String value) {
      String bucket = value.trim();
      if (!BucketNames.isBucketName(bucket)) {
        throw new TypeConversionException(
            "\""
                + value
                + "\" is not a bucket name (3-222 of a-z 0-9 . _ -, e.g. media-in; no gs://)");
      }
      return bucket;
    }
  }
}
