using System.Runtime.InteropServices;

namespace PrintFlow.Geometry.Memory;

/// <summary>
/// Allocation of the analysis's big arrays (tens of MB for a million triangles), whose 4 KB pages cost more to fault
/// in than the welding itself (figures in the library's README). Where transparent huge pages are in "madvise" mode
/// (the Debian default), each array is advised to use 2 MB pages before it is first touched, so the kernel maps it
/// with a few dozen faults and the random probes of the weld and edge tables stop missing the TLB. Elsewhere, or if
/// the hint fails, this is a plain allocation.
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

    /// <summary>
    /// Arrays from the large-object threshold up are kept: below it they are cheap gen-0 allocations, above it every
    /// fresh one counts towards a gen-2 collection.
    /// </summary>
    private const long PoolFromBytes = 85_000;
    /// <summary>Nor above this: a rare huge model must not pin gigabytes in a long-running worker.</summary>
    private const long PoolUpToBytes = 256L << 20;

    /// <summary>
    /// An array of at least <paramref name="length"/> elements for scratch work, reused from an earlier
    /// analysis when one fits, so a long-running Pricing worker stops paying page faults and kernel zeroing for
    /// every model. Contents are unspecified unless
    /// <paramref name="zeroed"/>; callers must use their own length, not the array's. Give it back with
    /// <see cref="Return{T}"/> when done; an array that is never returned is simply collected.
    /// <paramref name="pinned"/> arrays live on the pinned heap (for code that keeps raw pointers across calls); an
    /// element type must always be rented the same way, since the pool keeps arrays per element type. Only pin when
    /// needed: the large-object heap maps fresh arrays with fewer page faults.
    /// </summary>
    public static T[] Rent<T>(int length, bool zeroed = false, bool pinned = false) where T : unmanaged
    {
        if ((long)length * sizeof(T) >= PoolFromBytes && Pool<T>.TryTake(length) is { } reused)
        {
            if (zeroed) Array.Clear(reused, 0, length);
            return reused;
        }
        // Fresh memory comes zeroed from the kernel, so a zeroed rent costs nothing extra here.
        var array = zeroed ? GC.AllocateArray<T>(length, pinned) : GC.AllocateUninitializedArray<T>(length, pinned);
        Advise(array);
        return array;
    }

    /// <summary>Hands a rented array back for reuse; the caller must not touch it afterwards.</summary>
    public static void Return<T>(T[]? array) where T : unmanaged
    {
        if (array is null) return;
        long bytes = (long)array.Length * sizeof(T);
        if (bytes >= PoolFromBytes && bytes <= PoolUpToBytes) Pool<T>.Put(array);
    }

    // A handful of arrays per element type, swapped in and out with Interlocked so concurrent analyses never share one.
    private static class Pool<T> where T : unmanaged
    {
        private static readonly T[]?[] Slots = new T[]?[8];

        public static T[]? TryTake(int length)
        {
            for (int i = 0; i < Slots.Length; i++)
            {
                var candidate = Volatile.Read(ref Slots[i]);
                // Not more than twice the need: a small request must not hold on to the biggest array.
                if (candidate is null || candidate.Length < length || candidate.Length / 2 > length) continue;
                if (Interlocked.CompareExchange(ref Slots[i], null, candidate) == candidate) return candidate;
            }
            return null;
        }

        public static void Put(T[] array)
        {
            for (int i = 0; i < Slots.Length; i++)
                if (Interlocked.CompareExchange(ref Slots[i], array, null) is null) return;
            // Full: replace the smallest, so the pool keeps the arrays that are most expensive to fault in.
            int smallest = 0;
            for (int i = 1; i < Slots.Length; i++)
                if ((Volatile.Read(ref Slots[i])?.Length ?? 0) < (Volatile.Read(ref Slots[smallest])?.Length ?? 0)) smallest = i;
            var current = Volatile.Read(ref Slots[smallest]);
            if ((current?.Length ?? 0) < array.Length) Interlocked.CompareExchange(ref Slots[smallest], array, current);
        }
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
