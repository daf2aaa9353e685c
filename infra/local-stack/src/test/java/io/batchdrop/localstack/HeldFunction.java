package io.batchdrop.localstack;

import com.google.cloud.functions.HttpFunction;
import com.google.cloud.functions.HttpRequest;
import com.google.cloud.functions.HttpResponse;
import java.util.concurrent.CountDownLatch;

/**
 * A function for {@link LocalTimeoutsTest}, run on the real invoker: every call waits until a call
 * with the header {@value #RELEASE} comes, then answers 200. So a caller's deadline, not the
 * function, decides when the first call ends.
 */
public final class HeldFunction implements HttpFunction {
  static final String RELEASE = "X-Release";

  private final CountDownLatch released = new CountDownLatch(1);

  @Override
  public void service(HttpRequest request, HttpResponse response) throws Exception {
    if (request.getFirstHeader(RELEASE).isPresent()) {
      released.countDown();
    } else {
      released.await();
    }
    response.getWriter().write("{\"released\":true}");
  }
}
