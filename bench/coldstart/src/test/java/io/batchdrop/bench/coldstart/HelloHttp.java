package io.batchdrop.bench.coldstart;

import com.google.cloud.functions.HttpFunction;
import com.google.cloud.functions.HttpRequest;
import com.google.cloud.functions.HttpResponse;

/** The floor of an HTTP function: the invoker's own start and one request, nothing else. */
public final class HelloHttp implements HttpFunction {
  @Override
  public void service(HttpRequest request, HttpResponse response) throws Exception {
    response.setContentType("application/json");
    response.getWriter().write("{\"hello\":true}");
  }
}
