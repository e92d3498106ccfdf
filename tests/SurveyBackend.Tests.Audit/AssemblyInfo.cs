// Each audit already runs CP-SAT on two workers: on a 2-core machine, audits side by side only slow each other.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
