package io.batchdrop.emulator.storage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Keeps every object as a real file, {@code <dir>/<bucket>/<object name>}, so a person can look at
 * them; metadata goes to JSON sidecars under {@code <dir>/.storage-emulator/}. Uploads stream to a
 * staging file and are moved into place when they become live, so large objects never sit in
 * memory. Files dropped into a bucket directory by hand are picked up on the next start.
 */
final class DirectoryBlobStore implements BlobStore {
  private static final String CONTROL_DIR = ".storage-emulator";
  private static final int COPY_BUFFER = 64 * 1024;

  /** The longest file name of the usual file systems (ext4, XFS, APFS): 255 bytes. */
  private static final int MAX_FILE_NAME_BYTES = 255;

  private final Path root;
  private final Path staging;
  private final Path objectSidecars;
  private final Path bucketSidecars;
  private final ObjectMapper mapper;
  private final ObjectJson objectJson;
  private final GenerationClock clock;

  DirectoryBlobStore(Path root, ObjectMapper mapper, ObjectJson objectJson, GenerationClock clock)
      throws IOException {
    this.root = root.toAbsolutePath().normalize();
    Path control = this.root.resolve(CONTROL_DIR);
    this.staging = control.resolve("staging");
    this.objectSidecars = control.resolve("objects");
    this.bucketSidecars = control.resolve("buckets");
    this.mapper = mapper;
    this.objectJson = objectJson;
    this.clock = clock;
    Files.createDirectories(this.root);
    deleteTree(staging);
    Files.createDirectories(staging);
    Files.createDirectories(objectSidecars);
    Files.createDirectories(bucketSidecars);
  }

  @Override
  public BlobBuffer newBuffer() throws IOException {
    return new FileBuffer(Files.createTempFile(staging, "upload-", ".part"));
  }

  @Override
  public BlobContent install(ObjectKey key, BlobBuffer buffer) throws IOException {
    Path target = objectFile(key);
    Path source = ((FileBuffer) buffer).file;
    for (int attempt = 1; ; attempt++) {
      try {
        Files.createDirectories(target.getParent());
        Files.move(
            source, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return fileContent(target);
      } catch (NoSuchFileException e) {
        // A delete of the last object in the same folder may prune it between the two calls.
        if (attempt == 3 || !Files.exists(source)) {
          throw e;
        }
      } catch (FileSystemException e) {
        throw ApiException.invalid(
            "directory mode cannot store '"
                + key.name()
                + "': a file and a folder of the same"
                + " name would be needed");
      }
    }
  }

  @Override
  public void saveMetadata(ObjectMeta meta) throws IOException {
    Path sidecar = objectSidecar(meta.key());
    Files.createDirectories(sidecar.getParent());
    writeAtomically(
        sidecar, mapper.writerWithDefaultPrettyPrinter().writeValueAsBytes(objectJson.data(meta)));
  }

  @Override
  public void remove(ObjectKey key) throws IOException {
    Path file = objectFile(key);
    Files.deleteIfExists(file);
    Files.deleteIfExists(objectSidecar(key));
    pruneEmptyParents(file.getParent(), root.resolve(key.bucket()));
  }

  @Override
  public void createBucket(Bucket bucket) throws IOException {
    Files.createDirectories(root.resolve(bucket.name()));
    ObjectNode node = mapper.createObjectNode();
    node.put("name", bucket.name());
    node.put("timeCreated", Rfc3339.format(bucket.timeCreated()));
    node.put("location", bucket.location());
    node.put("storageClass", bucket.storageClass());
    node.put("metageneration", bucket.metageneration());
    node.put("updated", Rfc3339.format(bucket.updated()));
    ObjectNode labels = node.putObject("labels");
    bucket.labels().forEach(labels::put);
    writeAtomically(
        bucketSidecars.resolve(bucket.name() + ".json"), mapper.writeValueAsBytes(node));
  }

  @Override
  public void removeBucket(String bucket) throws IOException {
    deleteTree(root.resolve(bucket));
    deleteTree(objectSidecars.resolve(bucket));
    Files.deleteIfExists(bucketSidecars.resolve(bucket + ".json"));
  }

  @Override
  public Snapshot load() throws IOException {
    List<Bucket> buckets = new ArrayList<>();
    List<LoadedObject> objects = new ArrayList<>();
    try (Stream<Path> dirs = Files.list(root)) {
      for (Path dir : dirs.filter(Files::isDirectory).sorted().toList()) {
        String name = dir.getFileName().toString();
        if (name.startsWith(".")) {
          continue;
        }
        Bucket bucket = loadBucket(name, dir);
        buckets.add(bucket);
        objects.addAll(loadObjects(bucket, dir));
      }
    }
    return new Snapshot(buckets, objects);
  }

  @Override
  public void clear() throws IOException {
    try (Stream<Path> sidecars = Files.list(bucketSidecars)) {
      for (Path sidecar : sidecars.toList()) {
        String file = sidecar.getFileName().toString();
        removeBucket(file.substring(0, file.length() - ".json".length()));
      }
    }
  }

  @Override
  public void close() {}

  private Bucket loadBucket(String name, Path dir) throws IOException {
    Path sidecar = bucketSidecars.resolve(name + ".json");
    if (Files.exists(sidecar)) {
      JsonNode node = mapper.readTree(sidecar.toFile());
      Instant created = Rfc3339.parse(node.path("timeCreated").asText());
      Map<String, String> labels = new LinkedHashMap<>();
      node.path("labels").properties().forEach(e -> labels.put(e.getKey(), e.getValue().asText()));
      return new Bucket(
          name,
          created,
          node.path("location").asText("US"),
          node.path("storageClass").asText("STANDARD"),
          node.path("metageneration").asLong(1),
          node.hasNonNull("updated") ? Rfc3339.parse(node.path("updated").asText()) : created,
          labels);
    }
    Bucket bucket =
        Bucket.created(name, Files.getLastModifiedTime(dir).toInstant(), "US", "STANDARD");
    createBucket(bucket);
    return bucket;
  }

  private List<LoadedObject> loadObjects(Bucket bucket, Path dir) throws IOException {
    Map<String, ObjectMeta> recorded = new HashMap<>();
    Path sidecarDir = objectSidecars.resolve(bucket.name());
    if (Files.isDirectory(sidecarDir)) {
      try (Stream<Path> sidecars = Files.list(sidecarDir)) {
        for (Path sidecar : sidecars.toList()) {
          ObjectMeta meta = objectJson.parseData(mapper.readTree(sidecar.toFile()));
          recorded.put(meta.key().name(), meta);
        }
      }
    }
    List<LoadedObject> objects = new ArrayList<>();
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
        String name =
            dir.relativize(file).toString().replace(file.getFileSystem().getSeparator(), "/");
        ObjectKey key = new ObjectKey(bucket.name(), name);
        ObjectMeta meta = recorded.get(name);
        if (meta == null || meta.size() != Files.size(file)) {
          meta = describeUnrecordedFile(key, file);
          saveMetadata(meta);
        }
        clock.observe(meta.generation());
        objects.add(new LoadedObject(meta, fileContent(file)));
      }
    }
    return objects;
  }

  /** A file a person put (or changed) in a bucket directory becomes a new object version. */
  private ObjectMeta describeUnrecordedFile(ObjectKey key, Path file) throws IOException {
    Checksums checksums = new Checksums();
    try (InputStream in = Files.newInputStream(file)) {
      byte[] chunk = new byte[COPY_BUFFER];
      for (int read; (read = in.read(chunk)) >= 0; ) {
        checksums.update(chunk, 0, read);
      }
    }
    Checksums.Digests digests = checksums.finish();
    Instant modified = Files.getLastModifiedTime(file).toInstant();
    String contentType = Files.probeContentType(file);
    return new ObjectMeta(
        key,
        clock.next(),
        1,
        digests.size(),
        digests.md5Hash(),
        digests.crc32c(),
        null,
        ObjectAttributes.empty().withContentTypeIfAbsent(contentType),
        modified,
        modified);
  }

  private Path objectFile(ObjectKey key) {
    for (String segment : key.name().split("/", -1)) {
      if (segment.isEmpty()
          || segment.equals(".")
          || segment.equals("..")
          || segment.indexOf('\0') >= 0) {
        throw ApiException.invalid(
            "directory mode cannot store object name '"
                + key.name()
                + "': empty, '.' or '..'"
                + " path segments have no file equivalent");
      }
      int bytes = segment.getBytes(StandardCharsets.UTF_8).length;
      if (bytes > MAX_FILE_NAME_BYTES) {
        // Cloud Storage takes it (1,024 bytes for the whole name); a file system does not.
        throw ApiException.invalid(
            "directory mode cannot store an object whose name has a segment of "
                + bytes
                + " bytes: its file system takes at most "
                + MAX_FILE_NAME_BYTES
                + " bytes a file name (the in-memory mode stores it)");
      }
    }
    return root.resolve(key.bucket()).resolve(key.name());
  }

  private Path objectSidecar(ObjectKey key) {
    return objectSidecars.resolve(key.bucket()).resolve(sha256(key.name()) + ".json");
  }

  private static BlobContent fileContent(Path file) {
    return offset -> {
      FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
      channel.position(offset);
      return Channels.newInputStream(channel);
    };
  }

  private void writeAtomically(Path target, byte[] bytes) throws IOException {
    Path temp = Files.createTempFile(staging, "meta-", ".json");
    Files.write(temp, bytes);
    Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  private static void pruneEmptyParents(Path dir, Path stopAt) throws IOException {
    for (Path current = dir;
        current != null && current.startsWith(stopAt) && !current.equals(stopAt);
        current = current.getParent()) {
      try {
        Files.deleteIfExists(current);
      } catch (DirectoryNotEmptyException e) {
        return;
      }
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    }
  }

  private static String sha256(String text) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  /** An upload streaming into a staging file. */
  private static final class FileBuffer implements BlobBuffer {
    private final Path file;
    private final FileChannel channel;
    private final Checksums checksums = new Checksums();

    FileBuffer(Path file) throws IOException {
      this.file = file;
      this.channel = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
    }

    @Override
    public synchronized void append(InputStream in) throws IOException {
      byte[] chunk = new byte[COPY_BUFFER];
      for (int read; (read = in.read(chunk)) >= 0; ) {
        checksums.update(chunk, 0, read);
        ByteBuffer buffer = ByteBuffer.wrap(chunk, 0, read);
        while (buffer.hasRemaining()) {
          channel.write(buffer);
        }
      }
    }

    @Override
    public synchronized long size() {
      return checksums.size();
    }

    @Override
    public synchronized Checksums.Digests finish() throws IOException {
      channel.close();
      return checksums.finish();
    }

    @Override
    public synchronized void close() {
      try {
        channel.close();
        Files.deleteIfExists(file);
      } catch (IOException e) {
        // A leftover staging file is removed on the next start; nothing else depends on it.
      }
    }
  }
}
