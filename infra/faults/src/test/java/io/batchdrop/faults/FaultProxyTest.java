package io.batchdrop.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The proxy is a plain pipe with faults off, and with faults on it does break connections. */
class FaultProxyTest {

  @Test
  void withFaultsOffBytesGoThroughBothWays() throws Exception {
    try (ServerSocket echo = echoServer();
        FaultProxy proxy = FaultProxy.start("test", "127.0.0.1:" + echo.getLocalPort(), 1);
        Socket client = connect(proxy)) {
      client.getOutputStream().write("ping".getBytes(StandardCharsets.UTF_8));

      assertThat(new String(client.getInputStream().readNBytes(4), StandardCharsets.UTF_8))
          .isEqualTo("ping");
      assertThat(proxy.resets()).isZero();
    }
  }

  @Test
  void anUpstreamGivenAsABaseUriIsReachedAtItsHostAndPort() throws Exception {
    // STORAGE_EMULATOR_HOST is http://host:port, the other emulators' settings host:port.
    try (ServerSocket echo = echoServer();
        FaultProxy proxy =
            FaultProxy.start("storage", "http://127.0.0.1:" + echo.getLocalPort() + "/", 1);
        Socket client = connect(proxy)) {
      client.getOutputStream().write("GET /".getBytes(StandardCharsets.UTF_8));

      assertThat(new String(client.getInputStream().readNBytes(5), StandardCharsets.UTF_8))
          .isEqualTo("GET /");
    }
  }

  @Test
  void withEveryChunkFailingTheConnectionIsResetInsteadOfForwarded() throws Exception {
    try (ServerSocket echo = echoServer();
        FaultProxy proxy = FaultProxy.start("test", "127.0.0.1:" + echo.getLocalPort(), 1);
        Socket client = connect(proxy)) {
      proxy.resetRatio(1.0);
      client.getOutputStream().write("ping".getBytes(StandardCharsets.UTF_8));

      assertThatThrownBy(
              () -> {
                InputStream in = client.getInputStream();
                if (in.read() < 0) {
                  throw new IOException("closed without an answer");
                }
              })
          .isInstanceOf(IOException.class);
      assertThat(proxy.resets()).isEqualTo(1);
    }
  }

  private static Socket connect(FaultProxy proxy) throws IOException {
    String[] hostPort = proxy.hostAndPort().split(":");
    return new Socket(hostPort[0], Integer.parseInt(hostPort[1]));
  }

  private static ServerSocket echoServer() throws IOException {
    ServerSocket server = new ServerSocket(0, 5, InetAddress.getLoopbackAddress());
    Thread thread =
        new Thread(
            () -> {
              try (Socket s = server.accept()) {
                s.getInputStream().transferTo(s.getOutputStream());
              } catch (IOException e) {
                // The test is over.
              }
            });
    thread.setDaemon(true);
    thread.start();
    return server;
  }
}
