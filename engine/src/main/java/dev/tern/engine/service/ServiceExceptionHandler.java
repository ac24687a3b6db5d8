package dev.tern.engine.service;

import com.lmax.disruptor.ExceptionHandler;
import dev.tern.codecs.monitor.Monitor;

/**
 * The exception handler of one stage: counts the error under the service's errors ID, records it in the monitor
 * file's error log, and has the stage answer the op it was handling. It never rethrows, so an exception storm never
 * stops the pipeline.
 */
final class ServiceExceptionHandler implements ExceptionHandler<ServiceEvent>
{
    private final ServiceStage stage;
    private final Monitor monitor;
    private final int errorsId;

    ServiceExceptionHandler(final ServiceStage stage, final Monitor monitor, final int errorsId)
    {
        this.stage = stage;
        this.monitor = monitor;
        this.errorsId = errorsId;
    }

    public void handleEventException(final Throwable ex, final long sequence, final ServiceEvent event)
    {
        record(ex);
        stage.recover();
    }

    public void handleOnStartException(final Throwable ex)
    {
        record(ex);
    }

    public void handleOnShutdownException(final Throwable ex)
    {
        record(ex);
    }

    private void record(final Throwable ex)
    {
        monitor.add(errorsId, 1);
        monitor.errorHandler().onError(ex);
    }
}
