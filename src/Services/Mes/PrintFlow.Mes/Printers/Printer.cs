using System.Text.Json;
using PrintFlow.Mes.Domain;
using PrintFlow.ServiceDefaults.Localization;

namespace PrintFlow.Mes.Printers;

/// <summary>What MES knows of a printer's condition: the printer's own report plus the floor's decisions.</summary>
public enum PrinterState
{
    Idle,
    Printing,
    Paused,
    Error,
    Offline,
    Maintenance,
    Retired,
}

/// <summary>The technologies the floor runs: filament (FDM) and resin (SLA).</summary>
public static class Technologies
{
    public const string Fdm = "FDM";
    public const string Sla = "SLA";

    public static readonly IReadOnlyList<string> All = [Fdm, Sla];

    public static string? Normalize(string? technology) =>
        All.FirstOrDefault(t => string.Equals(t, technology?.Trim(), StringComparison.OrdinalIgnoreCase));
}

/// <summary>A printer's description as a supervisor enters it, checked by <see cref="Printer.Describe"/>.</summary>
public sealed record PrinterSpec(
    string Name, string Technology, string Model, string SlicerProfile, double BuildX, double BuildY, double BuildZ,
    double? NozzleMm, string? Material, string? Colour);

/// <summary>
/// One machine on the floor. Its state comes from two places: what the printer reports (<see cref="Observe"/>) and what
/// the floor decides (maintenance, retirement, a print started); every change goes through a method that throws
/// <see cref="JobRuleException"/> for an illegal one and records since when the printer is in its state.
/// </summary>
public sealed class Printer
{
    public const int MaxNameLength = 100;
    public const double MaxBuildMm = 2000;

    private Printer() { }

    public long Id { get; private set; }
    public Guid PrinterId { get; private set; }
    public string Name { get; private set; } = "";
    public string Technology { get; private set; } = Technologies.Fdm;
    public string Model { get; private set; } = "";
    public string SlicerProfile { get; private set; } = "";
    public double BuildX { get; private set; }
    public double BuildY { get; private set; }
    public double BuildZ { get; private set; }
    public double? NozzleMm { get; private set; }

    /// <summary>The material loaded now (null: nothing loaded), one of <see cref="Materials.All"/>.</summary>
    public string? Material { get; private set; }

    public string? Colour { get; private set; }
    public PrinterState State { get; private set; }
    public DateTimeOffset StateSince { get; private set; }

    /// <summary>The OctoPrint address (validated like a webhook URL when entered).</summary>
    public string BaseUrl { get; private set; } = "";

    /// <summary>The API key, protected with DataProtection; never shown back.</summary>
    public string ApiKeyProtected { get; private set; } = "";

    /// <summary>The key's last characters, so a supervisor can tell which key is set.</summary>
    public string ApiKeyHint { get; private set; } = "";

    /// <summary>The print on the printer now (its jobs point at it), null when none.</summary>
    public Guid? CurrentPrintId { get; private set; }

    public string? CurrentFileName { get; private set; }

    /// <summary>Whether the printer accepted the current print's G-code (until then an idle report means "not yet").</summary>
    public bool PrintUploaded { get; private set; }
    public double? Progress { get; private set; }
    public int? SecondsLeft { get; private set; }

    /// <summary>The last problem seen (unreachable, wrong key, nonsense reply, upload refused), shown on the card.</summary>
    public string? ErrorCode { get; private set; }

    public string? ErrorMessage { get; private set; }

    /// <summary>For a problem MES words itself (a slice refused): which sentence, so the card says it in the reader's language.</summary>
    public string? ErrorReason { get; private set; }

    /// <summary>That sentence's values, a JSON array of strings.</summary>
    public string? ErrorArguments { get; private set; }

    public DateTimeOffset? LastSeenAt { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    public int Version { get; private set; }

    /// <summary>Whether the printer takes part in the farm at all (retired ones stay for history only).</summary>
    public bool IsActive => State != PrinterState.Retired;

    /// <summary>Whether MES may send it a print now.</summary>
    public bool CanTakeWork => State == PrinterState.Idle && CurrentPrintId is null;

    public static Printer Add(PrinterSpec spec, Uri baseUrl, string protectedKey, string keyHint, DateTimeOffset now)
    {
        var printer = new Printer { PrinterId = Guid.CreateVersion7(now), CreatedAt = now, State = PrinterState.Offline, StateSince = now };
        printer.Describe(spec);
        printer.Connect(baseUrl, protectedKey, keyHint);
        return printer;
    }

    /// <summary>Sets what the printer is and has loaded; refuses values no printer has.</summary>
    public void Describe(PrinterSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var name = spec.Name?.Trim() ?? "";
        if (name.Length is 0 or > MaxNameLength)
        {
            throw new JobRuleException("printer.name", Texts.Get<MesStrings>("Printer.BadName", MaxNameLength));
        }

        var technology = Technologies.Normalize(spec.Technology)
            ?? throw new JobRuleException("printer.technology", Texts.Get<MesStrings>("Printer.BadTechnology"));
        foreach (var (axis, value) in new[] { ("X", spec.BuildX), ("Y", spec.BuildY), ("Z", spec.BuildZ) })
        {
            if (!double.IsFinite(value) || value is <= 0 or > MaxBuildMm)
            {
                throw new JobRuleException("printer.build-volume", Texts.Get<MesStrings>("Printer.BadBuildVolume", axis, MaxBuildMm));
            }
        }

        if (spec.NozzleMm is { } nozzle && (!double.IsFinite(nozzle) || nozzle is < 0.1 or > 2))
        {
            throw new JobRuleException("printer.nozzle", Texts.Get<MesStrings>("Printer.BadNozzle"));
        }

        string? material = null;
        if (!string.IsNullOrWhiteSpace(spec.Material))
        {
            material = Materials.Normalize(spec.Material)
                ?? throw new JobRuleException("printer.material", Texts.Get<MesStrings>("Printer.UnknownMaterial", string.Join(", ", Materials.All), spec.Material));
            if (Materials.TechnologyOf(material) != technology)
            {
                throw new JobRuleException("printer.material-technology", Texts.Get<MesStrings>("Printer.MaterialTechnology", material, Materials.TechnologyOf(material), technology));
            }
        }

        Name = name;
        Technology = technology;
        Model = Clip(spec.Model, 100);
        SlicerProfile = Clip(spec.SlicerProfile, 100);
        BuildX = spec.BuildX;
        BuildY = spec.BuildY;
        BuildZ = spec.BuildZ;
        NozzleMm = technology == Technologies.Fdm ? spec.NozzleMm : null;
        Material = material;
        Colour = string.IsNullOrWhiteSpace(spec.Colour) ? null : Clip(spec.Colour, 40);
        Version++;
    }

    public void Connect(Uri baseUrl, string protectedKey, string keyHint)
    {
        ArgumentNullException.ThrowIfNull(baseUrl);
        BaseUrl = baseUrl.ToString();
        ApiKeyProtected = protectedKey;
        ApiKeyHint = keyHint;
        Version++;
    }

    public void StartMaintenance(DateTimeOffset now)
    {
        EnsureActive();
        if (CurrentPrintId is not null)
        {
            throw new JobRuleException("printer.busy", $"{Name} is printing; cancel or finish the print before maintenance.");
        }

        MoveTo(PrinterState.Maintenance, now);
    }

    /// <summary>Back from maintenance: offline until the monitor hears from it.</summary>
    public void EndMaintenance(DateTimeOffset now)
    {
        if (State != PrinterState.Maintenance)
        {
            throw new JobRuleException("printer.not-in-maintenance", $"{Name} is not in maintenance.");
        }

        MoveTo(PrinterState.Offline, now);
    }

    public void Retire(DateTimeOffset now)
    {
        EnsureActive();
        if (CurrentPrintId is not null)
        {
            throw new JobRuleException("printer.busy", $"{Name} is printing; cancel or finish the print before retiring it.");
        }

        MoveTo(PrinterState.Retired, now);
    }

    /// <summary>MES sent <paramref name="printId"/> to this printer (before the upload, so a second sender finds it busy).</summary>
    public void BeginPrint(Guid printId, string fileName, DateTimeOffset now)
    {
        if (!CanTakeWork)
        {
            throw new JobRuleException("printer.not-ready", Texts.Get<MesStrings>("Printer.NotReady", Name, StateText(State)));
        }

        CurrentPrintId = printId;
        CurrentFileName = fileName;
        PrintUploaded = false;
        Progress = 0;
        SecondsLeft = null;
        SetError(null, null);
        MoveTo(PrinterState.Printing, now);
    }

    /// <summary>The printer took the G-code and started.</summary>
    public void MarkUploaded(Guid printId)
    {
        if (CurrentPrintId == printId)
        {
            PrintUploaded = true;
            Version++;
        }
    }

    /// <summary>The upload or start was refused: the printer keeps the reason and stays as it reported itself.</summary>
    public void PrintRefused(string code, string message, DateTimeOffset now)
    {
        CurrentPrintId = null;
        CurrentFileName = null;
        Progress = null;
        SecondsLeft = null;
        SetError(code, message);
        MoveTo(code == PrinterErrorCodes.Unreachable || code == PrinterErrorCodes.Timeout ? PrinterState.Offline : PrinterState.Idle, now);
    }

    /// <summary>
    /// A print meant for this printer could not be made (no slicer, a model gone, a plate that did not fit): the card
    /// says why until the next print is sent, and the printer stays free.
    /// </summary>
    /// <param name="message">The sentence in English, kept for logs and for readers whose language has no wording of <paramref name="reason"/>.</param>
    public void NoteNotSliced(string message, string? reason = null, IReadOnlyList<string>? arguments = null)
    {
        SetError(PrinterErrorCodes.NotSliced, message);
        var values = JsonSerializer.Serialize((arguments ?? []).Select(a => Clip(a, 300)).ToArray());
        if (reason is not null && values.Length <= 1000)
        {
            // Values too long for the column once escaped (a long name in Cyrillic) leave the card with the English.
            ErrorReason = Clip(reason, 40);
            ErrorArguments = values;
        }

        Version++;
    }

    /// <summary>
    /// Applies what the printer said. Returns what happened to the current print: finished (it went idle after printing
    /// our file), failed (error, offline, or idle without finishing) with the reason, or still going / nothing.
    /// </summary>
    /// <param name="uploadGrace">How long a print may stay unconfirmed (upload under way) before an idle printer means it never started, and how long a printing printer may be unreachable before its print is given up.</param>
    public PrintOutcome Observe(PrinterStatus status, DateTimeOffset now, TimeSpan uploadGrace)
    {
        ArgumentNullException.ThrowIfNull(status);
        if (State is PrinterState.Maintenance or PrinterState.Retired)
        {
            return PrintOutcome.None;
        }

        LastSeenAt = status.State == PrinterLinkState.Offline ? LastSeenAt : now;
        if (status.ErrorCode is not null || !PrinterErrorCodes.StaysUntilNextPrint(ErrorCode))
        {
            SetError(status.ErrorCode, status.Error);
        }
        var current = CurrentPrintId;
        if (current is not null && !PrintUploaded && status.State == PrinterLinkState.Idle && now - StateSince < uploadGrace)
        {
            return PrintOutcome.None; // the upload is still on its way
        }

        var outcome = PrintOutcome.None;
        switch (status.State)
        {
            case PrinterLinkState.Printing or PrinterLinkState.Paused:
                Progress = status.Progress is { } p && double.IsFinite(p) ? Math.Clamp(p, 0, 1) : Progress;
                SecondsLeft = status.PrintTimeLeft is { } left && left >= TimeSpan.Zero ? (int)Math.Min(left.TotalSeconds, int.MaxValue) : null;
                break;
            case PrinterLinkState.Idle when current is not null:
                // The printer went idle: done if it got to the end of our file, else someone stopped it at the printer.
                outcome = status.Progress is >= 0.999 || Progress is >= 0.999
                    ? PrintOutcome.Finished(current.Value)
                    : PrintOutcome.Failed(current.Value, $"{Name} stopped the print before it finished (cancelled at the printer).");
                break;
            case PrinterLinkState.Error when current is not null:
                outcome = PrintOutcome.Failed(current.Value, $"{Name} reported an error mid-print: {status.Error ?? status.ErrorCode ?? "no detail"}.");
                break;
            case PrinterLinkState.Offline when current is not null && PrintUploaded && now - (LastSeenAt ?? StateSince) < uploadGrace:
                break; // a short network gap: the printer likely prints on, so the print is not given up yet
            case PrinterLinkState.Offline when current is not null:
                outcome = PrintOutcome.Failed(current.Value, $"{Name} went offline mid-print ({status.Error ?? status.ErrorCode ?? "no answer"}).");
                break;
        }

        if (outcome.PrintId is not null)
        {
            CurrentPrintId = null;
            CurrentFileName = null;
            SecondsLeft = null;
            Progress = outcome.Succeeded ? 1 : Progress;
        }

        var state = status.State switch
        {
            PrinterLinkState.Idle => PrinterState.Idle,
            PrinterLinkState.Printing => PrinterState.Printing,
            PrinterLinkState.Paused => PrinterState.Paused,
            PrinterLinkState.Error => PrinterState.Error,
            _ => PrinterState.Offline,
        };
        if (state != State)
        {
            MoveTo(state, now);
        }

        return outcome;
    }

    /// <summary>Whether a part of this size fits the build volume, leaving <paramref name="marginMm"/> on every side.</summary>
    public bool Fits(double x, double y, double z, double marginMm)
    {
        // The part may be turned about Z: the two horizontal sides in either order.
        var (small, large) = x <= y ? (x, y) : (y, x);
        var (bedSmall, bedLarge) = BuildX <= BuildY ? (BuildX, BuildY) : (BuildY, BuildX);
        return small + 2 * marginMm <= bedSmall && large + 2 * marginMm <= bedLarge && z + marginMm <= BuildZ;
    }

    /// <summary>The state in the reader's language, as a short word for the printer's card and sentences.</summary>
    public static string StateText(PrinterState state) => Texts.Get<MesStrings>($"Printer.State.{state}");

    private void EnsureActive()
    {
        if (State == PrinterState.Retired)
        {
            throw new JobRuleException("printer.retired", $"{Name} is retired.");
        }
    }

    private void MoveTo(PrinterState state, DateTimeOffset now)
    {
        State = state;
        StateSince = now;
        Version++;
    }

    private void SetError(string? code, string? message)
    {
        ErrorCode = code;
        ErrorMessage = message is null ? null : Clip(message, 1000);
        ErrorReason = null;
        ErrorArguments = null;
    }

    private static string Clip(string? text, int length)
    {
        var trimmed = text?.Trim() ?? "";
        return trimmed.Length <= length ? trimmed : trimmed[..length];
    }
}

/// <summary>What a printer's report meant for the print on it.</summary>
public sealed record PrintOutcome(Guid? PrintId, bool Succeeded, string? Reason)
{
    public static readonly PrintOutcome None = new(null, false, null);

    public static PrintOutcome Finished(Guid printId) => new(printId, true, null);

    public static PrintOutcome Failed(Guid printId, string reason) => new(printId, false, reason);
}
