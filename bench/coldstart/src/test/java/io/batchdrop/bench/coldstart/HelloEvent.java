package io.batchdrop.bench.coldstart;

import com.google.cloud.functions.CloudEventsFunction;
import io.cloudevents.CloudEvent;

/** The floor of an event function: the invoker's own start and one CloudEvent, nothing else. */
public final class HelloEvent implements CloudEventsFunction {
  @Override
  public void accept(CloudEvent event) {
    System.out.println("hello " + event.getId());
  }
}
