namespace PrintFlow.Pricing.Exact;

/// <summary>Wakes idle exact-mode workers as soon as a job committed here, so they need not wait for a poll.</summary>
public sealed class ExactJobSignal
{
    private TaskCompletionSource _next = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes at the next <see cref="Notify"/>. Take it before looking for jobs, so none slips in between.</summary>
    public Task Next => Volatile.Read(ref _next).Task;

    public void Notify() =>
        Interlocked.Exchange(ref _next, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
}
