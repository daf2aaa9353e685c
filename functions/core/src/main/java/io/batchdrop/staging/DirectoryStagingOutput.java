package io.batchdrop.staging;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Staged output as files in a local directory: {@code shard-1.jsonl}, {@code shard-2.jsonl}, ...,
 * {@code invalid.jsonl}.
 */
public final class DirectoryStagingOutput implements StagingOutput {

  public static final String INVALID_FILE_NAME = "invalid.jsonl";

  private final Path directory;

  public DirectoryStagingOutput(Path directory) {
    this.directory = Objects.requireNonNull(directory, "directory");
  }

  public Path shardFile(int shard) {
    return directory.resolve("shard-" + shard + ".jsonl");
  }

  public Path invalidFile() {
    return directory.resolve(INVALID_FILE_NAME);
  }

  @Override
  public OutputStream openShard(int shard) throws IOException {
    Files.createDirectories(directory);
    return Files.newOutputStream(shardFile(shard));
  }

  @Override
  public OutputStream openInvalid() throws IOException {
    Files.createDirectories(directory);
    return Files.newOutputStream(invalidFile());
  }
}
