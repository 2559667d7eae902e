using PrintFlow.Pricing.Options;

namespace PrintFlow.Pricing.Analysis;

/// <summary>
/// Runs CPU-bound model analyses with bounded concurrency and two size classes. Large models take at most
/// <c>MaxConcurrentAnalyses − 1</c> slots (at least one), so a slot stays free for small ones; a freed slot goes
/// to a waiting small model first. A light model therefore waits for no heavy one, only for other light ones.
/// </summary>
public sealed class AnalysisScheduler
{
    private readonly object _gate = new();
    private readonly Queue<TaskCompletionSource> _small = new();
    private readonly Queue<TaskCompletionSource> _large = new();
    private readonly int _max;
    private readonly int _maxLarge;
    private readonly long _smallBytes;
    private int _running;
    private int _runningLarge;

    public AnalysisScheduler(PricingServiceOptions options)
    {
        _max = options.MaxConcurrentAnalyses;
        _maxLarge = Math.Max(1, _max - 1);
        _smallBytes = options.SmallModelBytes;
    }

    /// <summary>Large analyses running now (for metrics and tests).</summary>
    public int RunningLarge { get { lock (_gate) return _runningLarge; } }

    /// <summary>Analyses waiting for a slot.</summary>
    public int Queued { get { lock (_gate) return _small.Count + _large.Count; } }

    public bool IsSmall(long sizeBytes) => sizeBytes <= _smallBytes;

    public async Task<T> RunAsync<T>(long sizeBytes, Func<T> work, CancellationToken cancellationToken)
    {
        var large = !IsSmall(sizeBytes);
        await AcquireAsync(large, cancellationToken);
        try
        {
            return await Task.Run(work, CancellationToken.None);
        }
        finally
        {
            Release(large);
        }
    }

    private Task AcquireAsync(bool large, CancellationToken cancellationToken)
    {
        TaskCompletionSource waiter;
        lock (_gate)
        {
            if (CanStart(large))
            {
                Start(large);
                return Task.CompletedTask;
            }

            waiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            (large ? _large : _small).Enqueue(waiter);
        }

        return WaitAsync(waiter, large, cancellationToken);
    }

    private async Task WaitAsync(TaskCompletionSource waiter, bool large, CancellationToken cancellationToken)
    {
        try
        {
            await waiter.Task.WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            lock (_gate)
            {
                // Granted between the cancellation and this lock: give the slot back. Otherwise Pump skips it.
                if (!waiter.TrySetCanceled(cancellationToken) && waiter.Task.IsCompletedSuccessfully)
                {
                    ReleaseLocked(large);
                }
            }

            throw;
        }
    }

    private bool CanStart(bool large) => _running < _max && (!large || _runningLarge < _maxLarge);

    private void Start(bool large)
    {
        _running++;
        if (large) _runningLarge++;
    }

    private void Release(bool large)
    {
        lock (_gate)
        {
            ReleaseLocked(large);
        }
    }

    private void ReleaseLocked(bool large)
    {
        _running--;
        if (large) _runningLarge--;
        Pump();
    }

    private void Pump()
    {
        while (_running < _max)
        {
            if (TryGrant(_small, large: false)) continue;
            if (_runningLarge < _maxLarge && TryGrant(_large, large: true)) continue;
            return;
        }
    }

    private bool TryGrant(Queue<TaskCompletionSource> queue, bool large)
    {
        while (queue.TryDequeue(out var waiter))
        {
            if (waiter.Task.IsCompleted) continue; // cancelled while waiting
            Start(large);
            waiter.SetResult();
            return true;
        }

        return false;
    }
}
