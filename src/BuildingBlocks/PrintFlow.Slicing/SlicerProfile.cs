using System.Text;

namespace PrintFlow.Slicing;

/// <summary>
/// The profile a slice runs with: the base profile minus every setting that runs a command, emits custom G-code or
/// points at files, followed by those settings pinned to harmless values. Pinning (not trusting the base profile to
/// omit them) matters because PrusaSlicer fills any setting the profile leaves out from the model file or its defaults.
/// </summary>
public static class SlicerProfile
{
    /// <summary>
    /// PrusaSlicer 2.5's hooks (`prusa-slicer --help-fff`): post_process runs programs; the *_gcode templates and
    /// gcode_substitutions put arbitrary text into the G-code; notes are copied into it; bed_custom_* name files.
    /// </summary>
    public static readonly IReadOnlyList<string> EmptiedHooks =
    [
        "post_process",
        "start_gcode", "end_gcode", "before_layer_gcode", "layer_gcode", "toolchange_gcode", "between_objects_gcode",
        "color_change_gcode", "pause_print_gcode", "template_custom_gcode", "start_filament_gcode", "end_filament_gcode",
        "gcode_substitutions", "notes", "printer_notes", "filament_notes", "bed_custom_model", "bed_custom_texture",
        "thumbnails",
    ];

    /// <summary>Per-extruder lists: "" is one empty entry, which PrusaSlicer needs for its one extruder.</summary>
    private static readonly HashSet<string> PerExtruder = new(StringComparer.Ordinal) { "start_filament_gcode", "end_filament_gcode", "filament_notes" };

    /// <summary>
    /// Settings pinned besides the hooks: relative E needs "G92 E0" in layer_gcode, which is now empty, so E is absolute;
    /// the output name is fixed inside the job directory.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string> Pinned = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["use_relative_e_distances"] = "0",
        ["output_filename_format"] = "model.gcode",
    };

    /// <summary>The base profile's lines without the hooks and pinned settings, then those with their safe values.</summary>
    public static string Compose(string baseProfile) => Compose(baseProfile, new Dictionary<string, string>());

    /// <summary>
    /// As <see cref="Compose(string)"/>, with <paramref name="settings"/> (a printer's bed, height and nozzle) in place of
    /// the base profile's values; a setting that is a hook or pinned is ignored.
    /// </summary>
    public static string Compose(string baseProfile, IReadOnlyDictionary<string, string> settings)
    {
        ArgumentNullException.ThrowIfNull(baseProfile);
        ArgumentNullException.ThrowIfNull(settings);
        var overridden = new HashSet<string>(EmptiedHooks.Concat(Pinned.Keys), StringComparer.OrdinalIgnoreCase);
        var extra = settings.Where(s => !overridden.Contains(s.Key)).ToList();
        overridden.UnionWith(extra.Select(s => s.Key));
        var text = new StringBuilder(baseProfile.Length + 1024);
        foreach (var raw in baseProfile.AsSpan().EnumerateLines())
        {
            var line = raw.Trim();
            var eq = line.IndexOf('=');
            // A repeated key is an error for PrusaSlicer's ini reader, so a key set below never stays above.
            if (eq > 0 && line[0] is not ('#' or ';') && overridden.Contains(line[..eq].Trim().ToString())) continue;
            text.Append(raw).Append('\n');
        }

        text.Append("\n# PrintFlow: hooks emptied and settings pinned on every slice (SlicerProfile.cs)\n");
        foreach (var key in EmptiedHooks)
            text.Append(key).Append(PerExtruder.Contains(key) ? " = \"\"\n" : " = \n");
        foreach (var (key, value) in Pinned)
            text.Append(key).Append(" = ").Append(value).Append('\n');
        foreach (var (key, value) in extra)
            text.Append(key).Append(" = ").Append(value.ReplaceLineEndings(" ")).Append('\n');
        return text.ToString();
    }
}
