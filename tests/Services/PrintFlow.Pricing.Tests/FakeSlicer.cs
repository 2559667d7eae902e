using System.Diagnostics;

namespace PrintFlow.Pricing.Tests;

/// <summary>A shell script standing in for PrusaSlicer, to provoke hangs and failures the real one rarely shows.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
internal sealed class FakeSlicer : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("printflow-fake-slicer-");

    public FakeSlicer(string body)
    {
        Path = System.IO.Path.Combine(_dir.FullName, "fake-prusa-slicer");
        File.WriteAllText(Path, "#!/bin/sh\n" + body.Replace("{dir}", _dir.FullName) + "\n");
        File.SetUnixFileMode(Path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    public string Path { get; }
    public string Dir => _dir.FullName;

    public static bool IsAlive(int pid)
    {
        try
        {
            using var p = Process.GetProcessById(pid);
            // A killed child that its dead parent never reaped lingers as a zombie: it no longer runs.
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return !p.HasExited && stat[(stat.LastIndexOf(')') + 2)] != 'Z';
        }
        catch (Exception e) when (e is ArgumentException or IOException or InvalidOperationException)
        {
            return false;
        }
    }

    public void Dispose() => _dir.Delete(recursive: true);
}
