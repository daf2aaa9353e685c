package io.batchdrop.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

/**
 * What {@link LocalCloudTest} does with fixtures ({@link Fixture} fields and fixture parameters),
 * seen from outside: the nested classes below run through a launcher of their own (on emulator
 * processes of their own), so that a failing close can be watched failing its test. Surefire runs
 * no nested class itself.
 */
@Execution(ExecutionMode.SAME_THREAD)
class LocalCloudFixtureTest {
  /** What the nested tests and their fixtures did, in order. */
  private static final List<String> EVENTS = new CopyOnWriteArrayList<>();

  private static final Map<String, TestExecutionResult> RESULTS = new ConcurrentHashMap<>();

  @BeforeAll
  static void runTheNestedTests() {
    LauncherFactory.create()
        .execute(
            LauncherDiscoveryRequestBuilder.request()
                .selectors(
                    selectClass(TwoTests.class),
                    selectClass(AFailingClose.class),
                    selectClass(ANonFixtureField.class))
                .build(),
            new TestExecutionListener() {
              @Override
              public void executionFinished(TestIdentifier test, TestExecutionResult result) {
                test.getSource()
                    .filter(MethodSource.class::isInstance)
                    .map(source -> ((MethodSource) source).getMethodName())
                    .ifPresent(method -> RESULTS.put(method, result));
              }
            });
  }

  @Test
  void eachTestGetsAFixtureOfItsOwnBuiltFromItsOwnCloudAndSharedByFieldAndParameters() {
    assertThat(RESULTS.get("first").getStatus()).isEqualTo(TestExecutionResult.Status.SUCCESSFUL);
    assertThat(RESULTS.get("second").getStatus()).isEqualTo(TestExecutionResult.Status.SUCCESSFUL);
    for (String test : List.of("first", "second")) {
      assertThat(EVENTS)
          .contains(test + ": the test's cloud: true, the field's: true, @BeforeEach's: true");
    }
    assertThat(projectOf("first")).isNotEqualTo(projectOf("second"));
  }

  @Test
  void aFixtureIsClosedAfterItsTestAndBeforeItsCloud() {
    assertClosedAfterTheTestAndBeforeTheCloud("first");
    assertClosedAfterTheTestAndBeforeTheCloud("second");
  }

  @Test
  void aFixtureWhoseCloseFailsFailsItsTestAndTheOtherFixtureAndTheCloudAreClosedAllTheSame() {
    assertThat(failureOf("passesUntilItsFixtureIsClosed"))
        .hasMessage("closing a test's fixtures or its cloud failed")
        .hasRootCauseMessage("the pool did not stop");
    assertClosedAfterTheTestAndBeforeTheCloud("passesUntilItsFixtureIsClosed");
  }

  @Test
  void aFixtureFieldOfATypeThatIsNoFixtureFailsItsTestSayingWhatAFixtureIs() {
    assertThat(failureOf("neverRuns"))
        .hasMessage(
            "a fixture is an AutoCloseable class with a non-private constructor taking a"
                + " LocalCloud; java.lang.StringBuilder is not");
    assertThat(EVENTS).doesNotContain("ran neverRuns");
  }

  private static Throwable failureOf(String test) {
    TestExecutionResult result = RESULTS.get(test);
    assertThat(result.getStatus()).as(test).isEqualTo(TestExecutionResult.Status.FAILED);
    return result.getThrowable().orElseThrow();
  }

  private static void assertClosedAfterTheTestAndBeforeTheCloud(String test) {
    String project = projectOf(test);
    assertThat(EVENTS)
        .containsSubsequence(
            "ran " + test + " on " + project,
            "closed the fixture of " + project,
            "cloud " + project + " closing");
  }

  private static String projectOf(String test) {
    String prefix = "ran " + test + " on ";
    return EVENTS.stream()
        .filter(e -> e.startsWith(prefix))
        .map(e -> e.substring(prefix.length()))
        .findFirst()
        .orElseThrow(() -> new AssertionError("expected " + test + " to have run: " + EVENTS));
  }

  /** Notes when it is closed, and has its cloud note when that starts closing. */
  static final class RecordingFixture implements AutoCloseable {
    final LocalCloud cloud;

    RecordingFixture(LocalCloud cloud) {
      this.cloud = cloud;
      cloud.closeAfterTest(() -> EVENTS.add("cloud " + cloud.projectId() + " closing"));
    }

    @Override
    public void close() {
      EVENTS.add("closed the fixture of " + cloud.projectId());
    }
  }

  /** Built after the recording fixture, so closed before it. */
  static final class FailingFixture implements AutoCloseable {
    FailingFixture(LocalCloud cloud) {}

    @Override
    public void close() {
      throw new IllegalStateException("the pool did not stop");
    }
  }

  @LocalCloudTest
  @Execution(ExecutionMode.SAME_THREAD)
  static class TwoTests {
    @Fixture private RecordingFixture fx;
    private RecordingFixture beforeEach;

    @BeforeEach
    void deploy(RecordingFixture fx) {
      beforeEach = fx;
    }

    @Test
    void first(LocalCloud cloud, RecordingFixture parameter) {
      record("first", cloud, parameter);
    }

    @Test
    void second(LocalCloud cloud, RecordingFixture parameter) {
      record("second", cloud, parameter);
    }

    private void record(String test, LocalCloud cloud, RecordingFixture parameter) {
      EVENTS.add("ran " + test + " on " + cloud.projectId());
      EVENTS.add(
          test
              + ": the test's cloud: "
              + (parameter.cloud == cloud)
              + ", the field's: "
              + (parameter == fx)
              + ", @BeforeEach's: "
              + (parameter == beforeEach));
    }
  }

  @LocalCloudTest
  static class AFailingClose {
    @Fixture private RecordingFixture recording;
    @Fixture private FailingFixture failing;

    @Test
    void passesUntilItsFixtureIsClosed(LocalCloud cloud) {
      EVENTS.add("ran passesUntilItsFixtureIsClosed on " + cloud.projectId());
    }
  }

  @LocalCloudTest
  static class ANonFixtureField {
    @Fixture private StringBuilder notAFixture;

    @Test
    void neverRuns() {
      EVENTS.add("ran neverRuns");
    }
  }
}
