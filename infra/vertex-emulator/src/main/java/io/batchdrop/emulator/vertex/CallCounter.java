package io.batchdrop.emulator.vertex;

import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** Counts calls per gRPC method name ({@code GetBatchPredictionJob}...), whatever their outcome. */
final class CallCounter implements ServerInterceptor {

  private final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(
      ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
    String method = call.getMethodDescriptor().getBareMethodName();
    counts
        .computeIfAbsent(method == null ? "" : method, m -> new AtomicInteger())
        .incrementAndGet();
    return next.startCall(call, headers);
  }

  int count(String method) {
    AtomicInteger count = counts.get(method);
    return count == null ? 0 : count.get();
  }

  void reset() {
    counts.clear();
  }
}
