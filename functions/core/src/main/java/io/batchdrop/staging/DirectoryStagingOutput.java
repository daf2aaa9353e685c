package io.batchdrop.staging;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;

/** Staged output as files in one directory: {@code shard-00001.jsonl}, ..., {@code invalid.jsonl}. */
public final class DirectoryStagingOutput implements StagingOutput {

  public static final String INVALID_FILE_NAME = "invalid.jsonl";

  private final Path directory;

  public DirectoryStagingOutput(Path directory) {
    this.directory = Objects.requireNonNull(directory, "directory");
  }

  public static String shardFileName(int shard) {
    return String.format(Locale.ROOT, "shard-%05d.jsonl", shard);
  }

  public Path shardPath(int shard) {
    return directory.resolve(shardFileName(shard));
  }

  public Path invalidPath() {
    return directory.resolve(INVALID_FILE_NAME);
  }

  @Override
  public OutputStream openShard(int shard) throws IOException {
    Files.createDirectories(directory);
    return Files.newOutputStream(shardPath(shard));
  }

  @Override
  public OutputStream openInvalid() throws IOException {
    Files.createDirectories(directory);
    return Files.newOutputStream(invalidPath());
  }
}
