package io.batchdrop.emulator.vertex;

import com.google.cloud.aiplatform.v1.BatchPredictionJob;
import com.google.cloud.aiplatform.v1.ListBatchPredictionJobsRequest;
import com.google.cloud.aiplatform.v1.ListBatchPredictionJobsResponse;
import com.google.protobuf.util.FieldMaskUtil;
import io.grpc.Status;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.function.Predicate;

/**
 * One page of ListBatchPredictionJobs in creation order. The page token names the last job of the
 * previous page, so pages stay consistent while jobs are created or deleted in between.
 */
final class JobListing {

  static final int DEFAULT_PAGE_SIZE = 100;
  static final int MAX_PAGE_SIZE = 1000;
  private static final String TOKEN_PREFIX = "after:";

  private JobListing() {}

  static ListBatchPredictionJobsResponse page(
      ListBatchPredictionJobsRequest request, List<StoredJob> jobs) {
    String location = ResourceNames.locationOfParent(request.getParent());
    Predicate<BatchPredictionJob> filter = FilterParser.parse(request.getFilter());
    if (request.getPageSize() < 0) {
      throw Status.INVALID_ARGUMENT
          .withDescription("page_size must not be negative.")
          .asRuntimeException();
    }
    int pageSize =
        request.getPageSize() == 0
            ? DEFAULT_PAGE_SIZE
            : Math.min(request.getPageSize(), MAX_PAGE_SIZE);
    long after = request.getPageToken().isEmpty() ? Long.MIN_VALUE : decode(request.getPageToken());
    if (request.hasReadMask()
        && !FieldMaskUtil.isValid(BatchPredictionJob.class, request.getReadMask())) {
      throw Status.INVALID_ARGUMENT
          .withDescription("Invalid read_mask: " + request.getReadMask().getPathsList())
          .asRuntimeException();
    }
    ListBatchPredictionJobsResponse.Builder page = ListBatchPredictionJobsResponse.newBuilder();
    long last = after;
    boolean more = false;
    for (StoredJob stored : jobs) {
      if (stored.id() <= after
          || !stored.location().equals(location)
          || !filter.test(stored.job())) {
        continue;
      }
      if (page.getBatchPredictionJobsCount() == pageSize) {
        more = true;
        break;
      }
      page.addBatchPredictionJobs(
          request.hasReadMask() ? masked(stored.job(), request) : stored.job());
      last = stored.id();
    }
    if (more) {
      page.setNextPageToken(encode(last));
    }
    return page.build();
  }

  private static BatchPredictionJob masked(
      BatchPredictionJob job, ListBatchPredictionJobsRequest request) {
    BatchPredictionJob.Builder masked = BatchPredictionJob.newBuilder();
    FieldMaskUtil.merge(request.getReadMask(), job, masked);
    return masked.build();
  }

  private static String encode(long lastId) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString((TOKEN_PREFIX + lastId).getBytes(StandardCharsets.UTF_8));
  }

  private static long decode(String token) {
    try {
      String text = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
      if (text.startsWith(TOKEN_PREFIX)) {
        return Long.parseLong(text.substring(TOKEN_PREFIX.length()));
      }
    } catch (IllegalArgumentException e) {
      // falls through to the same answer as any other unreadable token
    }
    throw Status.INVALID_ARGUMENT.withDescription("Invalid page_token.").asRuntimeException();
  }
}
