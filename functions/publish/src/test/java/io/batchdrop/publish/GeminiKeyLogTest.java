package io.batchdrop.publish;

import static io.batchdrop.publish.PublishFixture.line;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.cloud.storage.Blob;
import com.google.cloud.storage.BlobInfo;
import io.batchdrop.cloud.jobs.HandOffMessage;
import io.batchdrop.cloud.jobs.JobDoc;
import io.batchdrop.cloud.run.RunId;
import io.batchdrop.testing.EventarcDelivery;
import io.batchdrop.testing.Fixture;
import io.batchdrop.testing.InvokedFunction;
import io.batchdrop.testing.LocalCloud;
import io.batchdrop.testing.LocalCloudTest;
import io.batchdrop.testing.LocalDeployment;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The Gemini API key is never in a line a function writes: submit and publish on the real invoker,
 * each in its own JVM, through a create the emulator fails with a 503, a key the emulator refuses,
 * and a whole run; every stdout and stderr line is searched for the keys, plain and URL-encoded.
 */
@LocalCloudTest
@Tag("system")
class GeminiKeyLogTest {
  /** Refused by the emulator; '/', '+' and '=' make its URL-encoded form differ from it. */
  private static final String REFUSED_KEY = "AIzaRefused/canary+key=5d1e";

  private static final String SUBMIT = "io.batchdrop.submit.SubmitFunction";
  private static final Map<String, String> GEMINI = Map.of("batchdrop-backend", "gemini-api");
  @Fixture private PublishFixture fx;
  private LocalCloud cloud;

  @BeforeEach
  void deploy(LocalCloud cloud) {
    this.cloud = cloud;
    fx.configure(Map.of("BATCHDROP_ALLOWED_BACKENDS", "vertex,gemini-api"));
  }

  @Test
  void theApiKeyIsInNoLogLineThroughRetriesARefusedKeyAndAWholeRun() throws Exception {
    List<String> outputs = new ArrayList<>();
    cloud.geminiEmulator().knobs().failNextCreates(1, 503);
    Blob accepted = upload("accepted.jsonl", line("one") + line("two"));
    try (InvokedFunction submit = InvokedFunction.start(SUBMIT, fx.environment())) {
      HttpResponse<String> first = deliver(submit, accepted);
      outputs.add(submit.output());
      assertThat(first.statusCode()).as(submit.output()).isIn(200, 500);
      if (first.statusCode() != 200) {
        assertThat(deliver(submit, accepted).statusCode()).as(submit.output()).isEqualTo(200);
        outputs.add(submit.output());
      }
    }
    RunId run = RunId.of(accepted.getBucket(), accepted.getName(), accepted.getGeneration());
    assertThat(fx.jobs(run))
        .singleElement()
        .satisfies(j -> assertThat(j.getString(JobDoc.VERTEX_NAME)).startsWith("batches/"));

    Map<String, String> refusing = new HashMap<>(fx.environment());
    refusing.put("GEMINI_API_KEY", REFUSED_KEY);
    Blob refused = upload("refused.jsonl", line("three"));
    try (InvokedFunction submit = InvokedFunction.start(SUBMIT, refusing)) {
      deliver(submit, refused);
      outputs.add(submit.output());
      assertThat(submit.output()).as("the refusal is logged").contains("API key not valid");
    }

    List<HandOffMessage> handOffs = fx.finishJobs(run);
    try (InvokedFunction publish =
        InvokedFunction.start("io.batchdrop.publish.PublishFunction", fx.environment())) {
      for (HandOffMessage handOff : handOffs) {
        assertThat(publish.post(PublishFixture.delivery(handOff)).statusCode())
            .as(publish.output())
            .isEqualTo(200);
      }
      outputs.add(publish.output());
    }
    assertThat(fx.results(2))
        .extracting(m -> m.getAttributesOrThrow("status"))
        .containsOnly("succeeded");

    for (String secret : List.of(LocalCloud.GEMINI_API_KEY_VALUE, REFUSED_KEY)) {
      String encoded = URLEncoder.encode(secret, StandardCharsets.UTF_8);
      for (String output : outputs) {
        assertThat(output.lines())
            .as("lines of a function's stdout and stderr")
            .isNotEmpty()
            .noneMatch(l -> l.contains(secret) || l.contains(encoded));
      }
    }
  }

  private Blob upload(String name, String content) {
    return cloud
        .storage()
        .create(
            BlobInfo.newBuilder(LocalDeployment.INBOX, "incoming/" + name)
                .setContentType("application/jsonl")
                .setMetadata(GEMINI)
                .build(),
            content.getBytes(StandardCharsets.UTF_8));
  }

  /** The finalize event as Eventarc POSTs it in binary mode. */
  private static HttpResponse<String> deliver(InvokedFunction submit, Blob blob) throws Exception {
    return submit.post(EventarcDelivery.of(PublishFixture.finalized(blob)));
  }
}
