package io.frostbyte.export.queue;

/** The enqueue side of the job queue: all that the API needs. */
public interface JobPublisher {
    void push(JobQueue.Message m);
}
