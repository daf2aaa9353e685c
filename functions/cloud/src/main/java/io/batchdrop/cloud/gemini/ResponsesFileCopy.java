package io.batchdrop.cloud.gemini;

import com.google.api.gax.rpc.ApiException;
import com.google.api.gax.rpc.StatusCode.Code;
import com.google.cloud.WriteChannel;
import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.BlobInfo;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.StorageException;
import io.batchdrop.cloud.log.StructuredLog;
import java.io.IOException;
import java.io.OutputStream;
import java.net.http.HttpResponse;
import java.nio.channels.Channels;
import java.util.OptionalLong;
import java.util.UUID;

/**
 * Copies a finished batch's responses file into {@code predictions.jsonl} under the job's output
 * prefix, where publish reads it, with ranged GETs each within the call deadline.
 *
 * <p>The bytes go first to an object of this copy's own beside the prefix, and become {@code
 * predictions.jsonl} (a server-side copy that must not find one there) only when every byte the
 * file has arrived. A write channel closed by an exception still finishes its object, so writing
 * the target directly would leave a cut copy that every later poll took for the whole file: its
 * rows published as missing, or run again.
 */
final class ResponsesFileCopy {
  private static final StructuredLog LOG = StructuredLog.forComponent("gemini-api");

  private final GeminiHttp http;
  private final Storage storage;
  private final long rangeBytes;

  ResponsesFileCopy(GeminiHttp http, Storage storage, long rangeBytes) {
    this.http = http;
    this.storage = storage;
    this.rangeBytes = rangeBytes;
  }

  /**
   * False when the file is gone (expired, deleted: its download answers 404, or 403 and files.get
   * does not find it either); a copy already made is kept.
   */
  boolean copy(String file, BlobId target, String jobId) throws InterruptedException {
    if (storage.get(target) != null) {
      return true;
    }
    String prefix = target.getName().substring(0, target.getName().lastIndexOf('/'));
    BlobId partial =
        BlobId.of(target.getBucket(), prefix + ".partial/" + UUID.randomUUID() + ".jsonl");
    try {
      OptionalLong copied = download(file, partial);
      if (copied.isEmpty()) {
        LOG.warning().job(jobId).with("file", file).log("responses file gone (expired?)");
        return false;
      }
      storage
          .copy(
              Storage.CopyRequest.newBuilder()
                  .setSource(partial)
                  .setTarget(
                      BlobInfo.newBuilder(target).setContentType("application/jsonl").build(),
                      Storage.BlobTargetOption.doesNotExist())
                  .build())
          .getResult();
      LOG.info()
          .job(jobId)
          .with("file", file)
          .with("bytes", copied.getAsLong())
          .log("responses file copied to the work bucket");
      return true;
    } catch (StorageException e) {
      if (e.getCode() == 412) {
        return true; // another poll finished its copy first
      }
      throw GeminiErrors.of(Code.UNAVAILABLE, "copy of " + file + " failed: " + e, e);
    } catch (IOException e) {
      throw GeminiErrors.of(Code.UNAVAILABLE, "download of " + file + " failed: " + e, e);
    } finally {
      deletePartial(partial, jobId);
    }
  }

  /** The file's bytes into {@code partial}; empty when the file is gone. */
  private OptionalLong download(String file, BlobId partial)
      throws IOException, InterruptedException {
    String id = file.startsWith("files/") ? file.substring("files/".length()) : file;
    String path = "download/v1beta/files/" + id + ":download?alt=media";
    String what = "download of " + file;
    long copied = 0;
    long size = -1; // the file's size, once an answer has said it
    try (WriteChannel writer = storage.writer(BlobInfo.newBuilder(partial).build())) {
      OutputStream out = Channels.newOutputStream(writer);
      while (size < 0 || copied < size) {
        long last = copied + rangeBytes - 1;
        GeminiHttp.Streamed answer =
            http.stream(
                http.request(path).header("Range", "bytes=" + copied + "-" + last).GET().build(),
                what);
        int status = answer.status();
        if (status == 416) {
          answer.close();
          break; // the range starts at the end: an empty file, or an exact multiple of the range
        }
        if ((status == 404 || status == 403) && copied == 0) {
          String refusal = answer.errorBody();
          if (status == 404 || !exists(id)) {
            return OptionalLong.empty();
          }
          throw GeminiErrors.of(status, what + ": " + refusal, null);
        }
        if (status != 200 && status != 206) {
          throw GeminiErrors.of(status, what + ": " + answer.errorBody(), null);
        }
        size = sizeOf(answer.response(), status, copied);
        long got = answer.transferTo(out);
        copied += got;
        if (status == 200 || (size < 0 && got < rangeBytes)) {
          break;
        }
      }
      out.flush();
    }
    if (size >= 0 && copied != size) {
      throw GeminiErrors.of(
          Code.UNAVAILABLE, what + " ended after " + copied + " of its " + size + " bytes", null);
    }
    return OptionalLong.of(copied);
  }

  /**
   * Whether files.get still finds the file. The Files API answers a file that does not exist (never
   * made, deleted, expired after 48 h) 403 "… or it may not exist", the code of any other refusal,
   * so a download's 403 means the file is gone only when the file's own metadata is refused or not
   * found too; a 403 for a file that is there fails this poll and the next one copies it.
   */
  private boolean exists(String id) throws InterruptedException {
    try {
      http.send(http.request("v1beta/files/" + id).GET().build(), "get of files/" + id);
      return true;
    } catch (ApiException e) {
      Code code = e.getStatusCode().getCode();
      if (code == Code.NOT_FOUND || code == Code.PERMISSION_DENIED) {
        return false;
      }
      throw e;
    }
  }

  /**
   * The whole file's size: from {@code Content-Range: bytes a-b/SIZE} of a 206, from the length of
   * a 200 (the whole file); -1 when the answer does not say.
   */
  private static long sizeOf(HttpResponse<?> answer, int status, long offset) {
    if (status == 206) {
      String range = answer.headers().firstValue("Content-Range").orElse("");
      int slash = range.lastIndexOf('/');
      if (slash >= 0 && !range.endsWith("*")) {
        try {
          return Long.parseLong(range.substring(slash + 1).trim());
        } catch (NumberFormatException e) {
          return -1;
        }
      }
      return -1;
    }
    long length = answer.headers().firstValueAsLong("Content-Length").orElse(-1);
    return length < 0 ? -1 : offset + length;
  }

  private void deletePartial(BlobId partial, String jobId) {
    try {
      storage.delete(partial);
    } catch (StorageException e) {
      // Left behind: the work bucket's lifecycle rule removes it; no reader lists that folder.
      LOG.warning()
          .job(jobId)
          .with("object", partial.getName())
          .log("partial responses copy not deleted: " + e.getMessage());
    }
  }
}
