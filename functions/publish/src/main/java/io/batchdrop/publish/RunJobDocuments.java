package io.batchdrop.publish;

import com.google.cloud.firestore.DocumentSnapshot;
import com.google.cloud.firestore.FieldPath;
import com.google.cloud.firestore.Firestore;
import com.google.cloud.firestore.Query;
import com.google.cloud.firestore.QueryDocumentSnapshot;
import io.batchdrop.cloud.jobs.JobDoc;
import io.batchdrop.cloud.run.RunId;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Every job document of one run, only the fields the report page shows, read a page at a time in id
 * order: a run may have {@link io.batchdrop.staging.RunShardBudget#MAX_SHARDS} shards of up to ten
 * attempts each, and holding only a page keeps publish's heap flat whatever the run's size. A page
 * Firestore does not answer in time is thrown as a {@link ReadFailed}.
 */
final class RunJobDocuments implements Iterable<DocumentSnapshot> {
  static final int PAGE = 500;

  private final Query query;

  RunJobDocuments(Firestore firestore, RunId runId, String... fields) {
    this.query =
        firestore
            .collection(JobDoc.COLLECTION)
            .whereEqualTo(JobDoc.RUN_ID, runId.value())
            .orderBy(FieldPath.documentId())
            .select(fields)
            .limit(PAGE);
  }

  /** A page that could not be read; its cause is Firestore's answer. */
  static final class ReadFailed extends RuntimeException {
    ReadFailed(String message, Throwable cause) {
      super(message, cause);
    }
  }

  @Override
  public Iterator<DocumentSnapshot> iterator() {
    return new Iterator<>() {
      private List<QueryDocumentSnapshot> page = read(query);
      private int next;

      @Override
      public boolean hasNext() {
        if (next == page.size() && page.size() == PAGE) {
          page = read(query.startAfter(page.get(PAGE - 1)));
          next = 0;
        }
        return next < page.size();
      }

      @Override
      public DocumentSnapshot next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        return page.get(next++);
      }
    };
  }

  private static List<QueryDocumentSnapshot> read(Query page) {
    try {
      return page.get().get(60, TimeUnit.SECONDS).getDocuments();
    } catch (TimeoutException e) {
      throw new ReadFailed("Firestore did not list the run's jobs within 60 s", e);
    } catch (ExecutionException e) {
      throw new ReadFailed("Firestore did not list the run's jobs: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ReadFailed("interrupted while listing the run's jobs", e);
    }
  }
}
