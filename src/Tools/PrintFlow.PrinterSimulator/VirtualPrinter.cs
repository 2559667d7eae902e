namespace PrintFlow.PrinterSimulator;

/// <summary>Where a virtual printer is: OctoPrint's state names.</summary>
public enum VirtualPrinterState
{
    Operational,
    Printing,
    Error,
    Offline,
}

/// <summary>A job as the printer holds it: <paramref name="Estimate"/> from the G-code, <paramref name="Duration"/> after the speed-up.</summary>
public sealed record VirtualJob(string FileName, long Size, TimeSpan Estimate, TimeSpan Duration, DateTimeOffset StartedAt);

/// <summary>What a printer says at one moment.</summary>
public sealed record PrinterSnapshot(
    int Number, VirtualPrinterState State, string StateText, VirtualJob? Job, double? Progress,
    TimeSpan? Elapsed, TimeSpan? TimeLeft, PrinterFault Fault);

/// <summary>
/// One simulated printer. Its state is computed from the clock when asked (no timers), so a FakeTimeProvider moves a
/// print forward exactly as far as the test advances it.
/// </summary>
public sealed class VirtualPrinter(int number, string apiKey, double speedUp, double errorAtProgress, TimeProvider time)
{
    private readonly Lock _lock = new();
    private VirtualJob? _job;
    private JobEnd _end;
    private DateTimeOffset _endedAt;
    private PrinterFault _fault;

    private enum JobEnd { Running, Finished, Cancelled, Failed }

    public int Number { get; } = number;
    public string ApiKey { get; } = apiKey;
    public double SpeedUp { get; } = speedUp;

    public PrinterFault Fault
    {
        get { lock (_lock) return _fault; }
    }

    /// <summary>Where an <see cref="PrinterFault.ErrorMidPrint"/> stops the print.</summary>
    public double ErrorAtProgress { get; private set; } = errorAtProgress;

    public void SetFault(PrinterFault fault, double? errorAtProgress = null)
    {
        lock (_lock)
        {
            Advance();
            _fault = fault;
            if (errorAtProgress is { } at) ErrorAtProgress = Math.Clamp(at, 0, 1);
        }
    }

    /// <summary>Clears the fault and an error, as an operator does after fixing the machine; the last job stays reported.</summary>
    public void Reset()
    {
        lock (_lock)
        {
            Advance();
            _fault = PrinterFault.None;
            if (_end == JobEnd.Running && _job is not null) Stop(JobEnd.Cancelled, time.GetUtcNow());
            if (_end == JobEnd.Failed) _end = JobEnd.Cancelled;
        }
    }

    /// <summary>Starts printing when the printer is idle and connected; false otherwise (OctoPrint's "effectivePrint").</summary>
    public bool TryStart(string fileName, long size, TimeSpan estimate)
    {
        lock (_lock)
        {
            if (Current().State != VirtualPrinterState.Operational) return false;
            _job = new VirtualJob(fileName, size, estimate, TimeSpan.FromTicks(Math.Max(1, (long)(estimate.Ticks / SpeedUp))), time.GetUtcNow());
            _end = JobEnd.Running;
            return true;
        }
    }

    /// <summary>Cancels a running print; false when nothing is printing (OctoPrint answers 409).</summary>
    public bool TryCancel()
    {
        lock (_lock)
        {
            Advance();
            if (_job is null || _end != JobEnd.Running) return false;
            Stop(JobEnd.Cancelled, time.GetUtcNow());
            return true;
        }
    }

    public PrinterSnapshot Snapshot()
    {
        lock (_lock) return Current();
    }

    private PrinterSnapshot Current()
    {
        Advance();
        var state = _fault == PrinterFault.Offline ? VirtualPrinterState.Offline
            : _end == JobEnd.Failed ? VirtualPrinterState.Error
            : _job is not null && _end == JobEnd.Running ? VirtualPrinterState.Printing
            : VirtualPrinterState.Operational;
        var text = state switch
        {
            VirtualPrinterState.Printing => "Printing",
            VirtualPrinterState.Error => "Error: Thermal Runaway (simulated)",
            VirtualPrinterState.Offline => "Offline",
            _ => "Operational",
        };
        if (_job is null) return new PrinterSnapshot(Number, state, text, null, null, null, null, _fault);
        var until = _end == JobEnd.Running ? time.GetUtcNow() : _endedAt;
        var elapsed = until - _job.StartedAt;
        if (elapsed < TimeSpan.Zero) elapsed = TimeSpan.Zero;
        var progress = Math.Clamp(elapsed / _job.Duration, 0, 1);
        var left = _end == JobEnd.Running ? _job.Duration - elapsed : TimeSpan.Zero;
        return new PrinterSnapshot(Number, state, text, _job, progress, elapsed, left < TimeSpan.Zero ? TimeSpan.Zero : left, _fault);
    }

    // Moves a running job to its end if the clock has passed it (finish, or the injected mid-print error).
    private void Advance()
    {
        if (_job is null || _end != JobEnd.Running) return;
        var now = time.GetUtcNow();
        if (_fault == PrinterFault.ErrorMidPrint)
        {
            var errorAt = _job.StartedAt + _job.Duration * ErrorAtProgress;
            if (now >= errorAt)
            {
                Stop(JobEnd.Failed, errorAt);
                return;
            }
        }
        if (now >= _job.StartedAt + _job.Duration) Stop(JobEnd.Finished, _job.StartedAt + _job.Duration);
    }

    private void Stop(JobEnd end, DateTimeOffset at)
    {
        _end = end;
        _endedAt = at;
    }
}
