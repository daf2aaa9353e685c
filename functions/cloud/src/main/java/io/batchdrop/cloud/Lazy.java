package io.batchdrop.cloud;

import java.util.Optional;
import java.util.function.Supplier;

/**
 * A value built once, on first use, safely under concurrent first uses. Function entry points hold
 * what talks to the network in one, so an instance starts without opening a connection.
 */
public final class Lazy<T> implements Supplier<T> {
  private final Supplier<T> factory;
  private volatile T value;

  private Lazy(Supplier<T> factory) {
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

  public static <T> Lazy<T> of(Supplier<T> factory) {
    return new Lazy<>(factory);
  }

  /** The value if it was built, without building it. */
  public Optional<T> ifBuilt() {
    return Optional.ofNullable(value);
  }
}
