package io.batchdrop.cloud.gemini;

import com.google.api.gax.rpc.ApiException;
import com.google.api.gax.rpc.StatusCode.Code;
import com.google.cloud.aiplatform.v1.BatchPredictionJob;
import io.batchdrop.cloud.config.BatchdropConfig;
import io.batchdrop.cloud.jobs.Backends;
import io.batchdrop.cloud.jobs.BatchBackend;
import io.batchdrop.cloud.jobs.CreateGate;
import io.batchdrop.cloud.jobs.JobSpec;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The Gemini API backend of one instance, on the key it last read. A key the service refuses
 * (UNAUTHENTICATED: 400 {@code API_KEY_INVALID}) may have been rotated: the secret is read again,
 * and when it now holds another key the call is repeated once on a backend built with that key,
 * which every later call uses. Without this a warm instance (poll's, called every minute, is never
 * idle long enough to be replaced) kept a rotated key for ever and every call was refused.
 *
 * <p>A key that is still the one refused fails the call as before (UNAUTHENTICATED, retried by the
 * callers), at the cost of one secret read per refused call. A re-read that fails (the new version
 * disabled, say) leaves the refusal as the answer, with the read's failure attached.
 */
public final class RekeyingBackend implements BatchBackend, AutoCloseable {
  private final Supplier<BatchdropConfig.ApiKey> readKey;
  private final Function<BatchdropConfig.ApiKey, Keyed> open;
  private final Object rekeying = new Object();
  private final AtomicReference<Keyed> current = new AtomicReference<>();

  /** A backend and what it was built on; {@code close} releases its client. */
  public record Keyed(BatchdropConfig.ApiKey key, BatchBackend backend, AutoCloseable client) {}

  /**
   * @param readKey reads the key (the secret version, or {@code GEMINI_API_KEY})
   * @param open builds a backend on a key
   */
  public RekeyingBackend(
      Supplier<BatchdropConfig.ApiKey> readKey, Function<BatchdropConfig.ApiKey, Keyed> open) {
    this.readKey = readKey;
    this.open = open;
  }

  @Override
  public String id() {
    return Backends.GEMINI_API;
  }

  @Override
  public Optional<BatchPredictionJob> find(JobSpec spec) {
    return call(backend -> backend.find(spec));
  }

  @Override
  public BatchPredictionJob create(JobSpec spec, CreateGate gate) throws InterruptedException {
    return call(backend -> backend.create(spec, gate));
  }

  @Override
  public BatchPredictionJob get(String name, String outputUriPrefix) throws InterruptedException {
    return call(backend -> backend.get(name, outputUriPrefix));
  }

  @Override
  public void cancel(String name) {
    call(
        backend -> {
          backend.cancel(name);
          return null;
        });
  }

  /**
   * The backend in use; the first call builds it on a key read then (a secret that cannot be read
   * throws, and the next call reads again).
   */
  public Keyed keyed() {
    Keyed keyed = current.get();
    if (keyed != null) {
      return keyed;
    }
    synchronized (rekeying) {
      if (current.get() == null) {
        current.set(open.apply(readKey.get()));
      }
      return current.get();
    }
  }

  @Override
  public void close() throws Exception {
    Keyed keyed = current.getAndSet(null);
    if (keyed != null) {
      keyed.client().close();
    }
  }

  private interface Call<T, X extends Exception> {
    T on(BatchBackend backend) throws X;
  }

  private <T, X extends Exception> T call(Call<T, X> call) throws X {
    Keyed used = keyed();
    try {
      return call.on(used.backend());
    } catch (ApiException e) {
      if (e.getStatusCode().getCode() != Code.UNAUTHENTICATED) {
        throw e;
      }
      Optional<Keyed> fresh = rekey(used, e);
      if (fresh.isEmpty()) {
        throw e;
      }
      return call.on(fresh.get().backend());
    }
  }

  /**
   * Reads the key again after {@code refused} was refused: the backend on another key, now the
   * current one; empty when the secret still holds the refused key (or cannot be read).
   */
  private Optional<Keyed> rekey(Keyed refused, ApiException refusal) {
    synchronized (rekeying) {
      Keyed now = current.get();
      if (now != null && now != refused) {
        return Optional.of(now); // another call already read the new key
      }
      BatchdropConfig.ApiKey key;
      try {
        key = readKey.get();
      } catch (RuntimeException e) {
        refusal.addSuppressed(e);
        return Optional.empty();
      }
      if (key.equals(refused.key())) {
        return Optional.empty();
      }
      // The refused backend's client is left to the garbage collector, not closed: a call of
      // another request may still be using it.
      Keyed fresh = open.apply(key);
      current.set(fresh);
      return Optional.of(fresh);
    }
  }
}
