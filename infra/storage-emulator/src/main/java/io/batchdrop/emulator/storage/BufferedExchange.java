package io.batchdrop.emulator.storage;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpPrincipal;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.HashMap;
import java.util.Map;

/**
 * An exchange held in memory: one request taken out of a batch, handled by the same router as a
 * real connection, with its answer collected to be written back into the batch response.
 */
final class BufferedExchange extends HttpExchange {
  private final HttpExchange outer;
  private final String method;
  private final URI uri;
  private final Headers requestHeaders;
  private final InputStream requestBody;
  private final Headers responseHeaders = new Headers();
  private final ByteArrayOutputStream responseBody = new ByteArrayOutputStream();
  private final Map<String, Object> attributes = new HashMap<>();
  private int responseCode = -1;

  BufferedExchange(
      HttpExchange outer, String method, URI uri, Headers requestHeaders, byte[] body) {
    this.outer = outer;
    this.method = method;
    this.uri = uri;
    this.requestHeaders = requestHeaders;
    this.requestBody = new ByteArrayInputStream(body);
  }

  byte[] responseBytes() {
    return responseBody.toByteArray();
  }

  @Override
  public Headers getRequestHeaders() {
    return requestHeaders;
  }

  @Override
  public Headers getResponseHeaders() {
    return responseHeaders;
  }

  @Override
  public URI getRequestURI() {
    return uri;
  }

  @Override
  public String getRequestMethod() {
    return method;
  }

  @Override
  public HttpContext getHttpContext() {
    return outer.getHttpContext();
  }

  @Override
  public void close() {}

  @Override
  public InputStream getRequestBody() {
    return requestBody;
  }

  @Override
  public OutputStream getResponseBody() {
    return responseBody;
  }

  @Override
  public void sendResponseHeaders(int code, long length) {
    responseCode = code;
  }

  @Override
  public InetSocketAddress getRemoteAddress() {
    return outer.getRemoteAddress();
  }

  @Override
  public int getResponseCode() {
    return responseCode;
  }

  @Override
  public InetSocketAddress getLocalAddress() {
    return outer.getLocalAddress();
  }

  @Override
  public String getProtocol() {
    return "HTTP/1.1";
  }

  @Override
  public Object getAttribute(String name) {
    return attributes.get(name);
  }

  @Override
  public void setAttribute(String name, Object value) {
    attributes.put(name, value);
  }

  @Override
  public void setStreams(InputStream i, OutputStream o) {
    throw new UnsupportedOperationException("a batched request has fixed streams");
  }

  @Override
  public HttpPrincipal getPrincipal() {
    return null;
  }
}
