// Every test class starts the whole embedded system and some analyse million-triangle models or run PrusaSlicer:
// on a shared two-core machine they run one at a time, so timings and completion order mean something.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
