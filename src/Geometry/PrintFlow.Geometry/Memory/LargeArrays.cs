using System.Runtime.InteropServices;

namespace PrintFlow.Geometry.Memory;

/// <summary>
/// Allocation of the analysis's big arrays (tens of MB for a million triangles). Measured on Linux: faulting their
/// 4 KB pages in cost more than the welding itself (≈13,000 page faults and 35 ms of kernel time per 1M-triangle
/// analysis). Where transparent huge pages are in "madvise" mode (the Debian default), each array is advised to use
/// 2 MB pages before it is first touched, so the kernel maps it with a few dozen faults and the random probes of the
/// weld and edge tables stop missing the TLB. Elsewhere, or if the hint fails, this is a plain allocation.
/// </summary>
internal static unsafe class LargeArrays
{
    private const nuint HugePage = 2 * 1024 * 1024;
    private const int MadvHugePage = 14;
    private static readonly delegate* unmanaged<void*, nuint, int, int> Madvise = Resolve();

    /// <summary>An array whose contents are unspecified (callers write before reading), huge-page backed if possible.</summary>
    public static T[] Uninitialized<T>(int length) where T : unmanaged
    {
        var array = GC.AllocateUninitializedArray<T>(length);
        Advise(array);
        return array;
    }

    /// <summary>A zeroed array, huge-page backed if possible.</summary>
    public static T[] Zeroed<T>(int length, bool pinned = false) where T : unmanaged
    {
        var array = GC.AllocateArray<T>(length, pinned);
        Advise(array);
        return array;
    }

    public static void Advise<T>(T[] array) where T : unmanaged
    {
        nuint bytes = (nuint)array.Length * (nuint)sizeof(T);
        if (Madvise == null || bytes < 2 * HugePage) return;
        // Only whole 2 MB pages inside the array; the hint is about address ranges, so the array needs no pinning.
        fixed (T* p = array)
        {
            nuint start = ((nuint)p + HugePage - 1) & ~(HugePage - 1);
            nuint end = ((nuint)p + bytes) & ~(HugePage - 1);
            if (end > start) Madvise((void*)start, end - start, MadvHugePage);
        }
    }

    private static delegate* unmanaged<void*, nuint, int, int> Resolve()
    {
        if (!OperatingSystem.IsLinux()) return null;
        if (Environment.GetEnvironmentVariable("PRINTFLOW_NO_HUGE_PAGES") == "1") return null;
        if (!NativeLibrary.TryLoad("libc.so.6", out var libc)) return null;
        return NativeLibrary.TryGetExport(libc, "madvise", out var madvise)
            ? (delegate* unmanaged<void*, nuint, int, int>)madvise
            : null;
    }
}
