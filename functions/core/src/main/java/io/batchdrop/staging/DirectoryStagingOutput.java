package io.batchdrop.staging;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** Staged files in a local directory: {@code shard-1.jsonl}, {@code shard-2.jsonl}, {@code invalid.jsonl}. */
public final class DirectoryStagingOutput implements StagingOutput {
  private final Path directory;

  public DirectoryStagingOutput(Path directory) {
    this.directory = directory;
  }

  public Path shardFile(int shard) {
    return directory.resolve("shard-" + shard + ".jsonl");
  }

  public Path invalidFile() {
    return directory.resolve("invalid.jsonl");
  }

  @Override
  public OutputStream openShard(int shard) throws IOException {
    return open(shardFile(shard));
  }

  @Override
  public OutputStream openInvalid() throws IOException {
    return open(invalidFile());
  }

  private OutputStream open(Path file) throws IOException {
    Files.createDirectories(directory);
    return new BufferedOutputStream(Files.newOutputStream(file), 1 << 16);
  }
}
