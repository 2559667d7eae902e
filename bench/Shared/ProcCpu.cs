using System.Globalization;

namespace PrintFlow.Bench;

/// <summary>
/// Processes and their CPU time from /proc (user + system, in clock ticks), for the benchmarks that measure what
/// another process (the broker, PostgreSQL) spends. Linked into each benchmark that needs it.
/// </summary>
internal static class ProcCpu
{
    public const double TicksPerSecond = 100; // USER_HZ on Linux

    /// <summary>The ids of the running processes.</summary>
    public static IEnumerable<int> Pids() =>
        Directory.EnumerateDirectories("/proc")
            .Select(dir => int.TryParse(Path.GetFileName(dir), out var pid) ? pid : 0)
            .Where(pid => pid > 0);

    /// <summary>utime + stime of the process, or null once it has ended.</summary>
    public static long? Ticks(int pid) =>
        Stat(pid) is { } stat && stat[(stat.LastIndexOf(')') + 2)..].Split(' ') is var fields
            ? long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)
            : null;

    /// <summary>The process's name (what <c>ps -o comm</c> shows), or null once it has ended.</summary>
    public static string? Name(int pid) =>
        Stat(pid) is { } stat && stat.IndexOf('(') is var open and >= 0 ? stat[(open + 1)..stat.LastIndexOf(')')] : null;

    /// <summary>The process's command line (arguments separated by NUL), or null once it has ended or is not readable.</summary>
    public static string? CommandLine(int pid) => Read($"/proc/{pid}/cmdline");

    private static string? Stat(int pid) => Read($"/proc/{pid}/stat");

    private static string? Read(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (IOException)
        {
            return null; // the process ended meanwhile
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }
}
