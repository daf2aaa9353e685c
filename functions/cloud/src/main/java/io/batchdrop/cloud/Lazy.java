package io.batchdrop.cloud;

import java.util.Optional;
import java.util.function.Supplier;

/** A value built once, on first use, safely under concurrent first uses. */
final class Lazy<T> implements Supplier<T> {
  private final Supplier<T> factory;
  private volatile T value;

  Lazy(Supplier<T> factory) {
    this.factory = factory;
  }

  @Override
  public T get() {
    T result = value;
    if (result == null) {
      synchronized (this) {
        result = value;
        if (result == null) {
          value = result = factory.get();
        }
      }
    }
    return result;
  }

  /** The value if it was built, without building it. */
  Optional<T> ifBuilt() {
    return Optional.ofNullable(value);
  }
}
