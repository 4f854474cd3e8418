using System.Globalization;
using VertexTraining.Core.Api;
using VertexTraining.Core.Diagnostics;

namespace VertexTraining.Core.Configuration;

/// <summary>
/// Turns the machine properties and <c>VertexWorkerPool</c> items into <c>workerPoolSpecs</c>.
/// A tuning job's trialJobSpec uses the same mapping, so every setting reaches every trial.
/// </summary>
internal sealed class WorkerPoolMapper(JobInputs inputs, InputReader read)
{
    /// <summary>Pool names in workerPoolSpecs order: the index is the pool's role on Vertex.</summary>
    public static readonly string[] PoolNames = ["Primary", "Workers", "ParameterServers", "Evaluators"];

    /// <summary>Env vars the runtime library reads to check that the requested GPUs are visible.</summary>
    public const string AcceleratorCountVariable = "VERTEX_ACCELERATOR_COUNT";
    public const string AcceleratorTypeVariable = "VERTEX_ACCELERATOR_TYPE";

    private const int MaxEnvironmentVariables = 100;

    /// <summary>The boot disk types a pool may ask for; the patched-document checks use the same list.</summary>
    internal static readonly string[] BootDiskTypes = ["pd-ssd", "pd-standard", "hyperdisk-balanced"];
    private const int MaxTotalArgumentLength = 100_000;

    public List<WorkerPoolSpec> Map(string imageUri)
    {
        var env = ReadEnvironment();
        var args = ReadArgs();
        var pools = inputs.GetItems(VertexItem.WorkerPool);
        var specs = pools.Count == 0 ? MapDefaultShape(imageUri, env, args) : MapDeclaredPools(pools, imageUri, env, args);
        AddPoolEnvironment(specs);
        var nfs = NfsMountMapper.Read(inputs, read.Diagnostics);
        var lustre = LustreMountMapper.Read(inputs, read.Diagnostics);
        // Every replica of every pool sees the same shares, as every pool gets the same args.
        foreach (var spec in specs.Where(s => s.ContainerSpec is not null))
        {
            spec.NfsMounts = nfs;
            spec.LustreMounts = lustre;
        }

        return specs;
    }

    /// <summary>
    /// <c>VertexEnvironmentVariable</c> items with <c>WorkerPool</c> metadata: that pool only, after (and over) the
    /// variables every pool gets. The pool must run in this job; a variable meant for a pool that is not there would
    /// silently reach nobody.
    /// </summary>
    private void AddPoolEnvironment(List<WorkerPoolSpec> specs)
    {
        var seen = new HashSet<(int, string)>();
        foreach (var item in inputs.GetItems(VertexItem.EnvironmentVariable))
        {
            if (item.Get("WorkerPool") is not { } poolName)
            {
                continue;
            }

            var subject = $"{VertexItem.EnvironmentVariable} '{item.Identity}'";
            var index = Array.FindIndex(PoolNames, n => string.Equals(n, poolName, StringComparison.OrdinalIgnoreCase));
            if (index < 0 || index >= specs.Count || specs[index].ContainerSpec is not { } container)
            {
                read.Diagnostics.Error(DiagnosticCodes.InvalidEnvironmentVariablePool, $"{subject} WorkerPool",
                    $"{subject} has WorkerPool '{poolName}', {(index < 0 ? "which is not a pool name" : "a pool this job does not run")}; valid values are the job's pools: "
                    + $"{string.Join(", ", PoolNames.Where((_, i) => i < specs.Count && specs[i].ContainerSpec is not null))}.");
                continue;
            }

            if (!seen.Add((index, item.Identity)))
            {
                read.Diagnostics.Error(DiagnosticCodes.DuplicateEnvironmentVariable, subject, $"{subject} is declared twice for WorkerPool {PoolNames[index]}; declare each variable once per pool.");
                continue;
            }

            item.Metadata.TryGetValue("Value", out var value);
            var env = container.Env?.Where(e => e.Name != item.Identity).ToList() ?? [];
            env.Add(new EnvVar { Name = item.Identity, Value = value ?? "" });
            if (env.Count > MaxEnvironmentVariables)
            {
                read.Diagnostics.Error(DiagnosticCodes.TooManyEnvironmentVariables, subject,
                    $"WorkerPool {PoolNames[index]} would get {env.Count} environment variables; Vertex accepts {MaxEnvironmentVariables} per container.");
            }

            container.Env = env;
        }
    }

    private List<WorkerPoolSpec> MapDefaultShape(string imageUri, List<EnvVar> env, List<string> args)
    {
        var replicas = read.Int(inputs.Get(VertexProperty.ReplicaCount), VertexProperty.ReplicaCount, 1, 100_000, DiagnosticCodes.InvalidReplicaCount) ?? 1;
        var shape = ReadShape(VertexProperty.MachineType, null);
        var result = new List<WorkerPoolSpec> { NewPool(shape, 1, imageUri, null, args, env) };
        if (replicas > 1)
        {
            result.Add(NewPool(shape, replicas - 1, imageUri, null, args, env));
        }

        CheckTpuReplicas(shape, replicas, VertexProperty.ReplicaCount);
        return result;
    }

    private List<WorkerPoolSpec> MapDeclaredPools(IReadOnlyList<ConfigItem> pools, string imageUri, List<EnvVar> env, List<string> args)
    {
        if (inputs.Get(VertexProperty.ReplicaCount) is { } replicaCount && replicaCount != "1")
        {
            read.Diagnostics.Error(DiagnosticCodes.ReplicaCountWithWorkerPools, VertexProperty.ReplicaCount,
                $"{VertexProperty.ReplicaCount} ({replicaCount}) cannot be combined with {VertexItem.WorkerPool} items: declared pools replace the default shape. Set ReplicaCount on the {VertexItem.WorkerPool} items instead.");
        }

        var byIndex = new WorkerPoolSpec?[PoolNames.Length];
        foreach (var pool in pools)
        {
            var index = Array.FindIndex(PoolNames, n => string.Equals(n, pool.Identity, StringComparison.OrdinalIgnoreCase));
            var subject = $"{VertexItem.WorkerPool} '{pool.Identity}'";
            if (index < 0)
            {
                read.Diagnostics.Error(DiagnosticCodes.UnknownWorkerPool, subject,
                    $"{subject} is not a worker pool; valid names are {string.Join(", ", PoolNames)} (workerPoolSpecs 0 to 3).");
                continue;
            }

            if (byIndex[index] is not null)
            {
                read.Diagnostics.Error(DiagnosticCodes.DuplicateWorkerPool, subject, $"{subject} is declared twice; declare each pool once.");
                continue;
            }

            var replicas = read.Int(pool.Get("ReplicaCount"), $"{subject} ReplicaCount", 1, 100_000, DiagnosticCodes.InvalidReplicaCount) ?? 1;
            if (index == 0 && replicas != 1)
            {
                read.Diagnostics.Error(DiagnosticCodes.PrimaryPoolReplicaCount, subject,
                    $"{subject} has ReplicaCount {replicas}; the primary pool (workerPoolSpecs[0]) must have exactly 1 replica. Put more replicas in the Workers pool.");
            }

            var shape = ReadShape(subject, pool);
            CheckTpuReplicas(shape, replicas, subject);
            var poolArgs = pool.Get("Args") is { } own ? InputReader.SplitList(own) : args;
            byIndex[index] = NewPool(shape, replicas, pool.Get("ImageUri") ?? imageUri, InputReader.SplitList(pool.Get("Command")), poolArgs, env);
        }

        if (byIndex[0] is null && pools.Count > 0)
        {
            read.Diagnostics.Error(DiagnosticCodes.MissingPrimaryPool, VertexItem.WorkerPool,
                $"{VertexItem.WorkerPool} items are declared without a 'Primary' pool; Vertex needs workerPoolSpecs[0]. Add <{VertexItem.WorkerPool} Include=\"Primary\" />.");
        }

        // Unused pools before the last used one are sent as {} so each pool keeps its index (its role).
        var last = Array.FindLastIndex(byIndex, p => p is not null);
        return [.. byIndex.Take(last + 1).Select(p => p ?? new WorkerPoolSpec())];
    }

    private sealed record Shape(MachineSpec Machine, DiskSpec? Disk);

    /// <summary>False only when the user opted out for a type newer than <see cref="TrainingMachineTypes"/>.</summary>
    /// <remarks>Read once, so that a bad value is reported once, not once per pool.</remarks>
    private bool CheckMachineTypes => _checkMachineTypes ??= read.Bool(inputs.Get(VertexProperty.MachineTypeCheck), VertexProperty.MachineTypeCheck) ?? true;

    private bool? _checkMachineTypes;

    /// <summary>Reads a machine shape from pool metadata, falling back to the Vertex* properties.</summary>
    private Shape ReadShape(string subject, ConfigItem? pool)
    {
        string? Pick(string metadata, string property) => pool?.Get(metadata) ?? inputs.Get(property);

        var machineSubject = pool is null ? VertexProperty.MachineType : $"{subject} MachineType";
        var machineType = Pick("MachineType", VertexProperty.MachineType) ?? JobDocumentBuilder.DefaultMachineType;
        var checkMachineType = CheckMachineTypes; // read even when every type is known: a bad value is still an error
        if (!ResourceFormats.MachineType().IsMatch(machineType))
        {
            read.Diagnostics.Error(DiagnosticCodes.InvalidMachineType, machineSubject,
                $"{machineSubject} is '{machineType}', which is not a Compute Engine machine type name (e.g. n1-standard-4, g2-standard-8, a2-highgpu-1g).");
        }
        else if (checkMachineType && !TrainingMachineTypes.IsKnown(machineType))
        {
            read.Diagnostics.Error(DiagnosticCodes.UnknownMachineType, machineSubject,
                $"{machineSubject} is '{machineType}', which Vertex AI training does not offer; nearest: {string.Join(", ", TrainingMachineTypes.Nearest(machineType))}. " +
                $"If it is newer than this catalog, set {VertexProperty.MachineTypeCheck}=false.");
        }

        var accelerator = ReadAccelerator(subject, pool, machineType, Pick);
        var disk = ReadDisk(subject, pool, Pick);
        var reservation = ReservationAffinityMapper.Read(pool is null ? null : subject, Pick, read.Diagnostics);
        var machine = new MachineSpec { MachineType = machineType, AcceleratorType = accelerator.Type, AcceleratorCount = accelerator.Count, ReservationAffinity = reservation };
        (machine.GpuPartitionSize, machine.TpuTopology) = PartitionMapper.Read(pool is null ? null : subject, Pick, machine, read.Diagnostics);
        return new Shape(machine, disk);
    }

    private (string? Type, int? Count) ReadAccelerator(string subject, ConfigItem? pool, string machineType, Func<string, string, string?> pick)
    {
        var typeSubject = pool is null ? VertexProperty.AcceleratorType : $"{subject} AcceleratorType";
        var countSubject = pool is null ? VertexProperty.AcceleratorCount : $"{subject} AcceleratorCount";
        var type = pick("AcceleratorType", VertexProperty.AcceleratorType)?.ToUpperInvariant();
        var countText = pick("AcceleratorCount", VertexProperty.AcceleratorCount);
        var count = read.Int(countText, countSubject, 1, 2048, DiagnosticCodes.InvalidAcceleratorCount);

        if (type is null)
        {
            if (countText is not null)
            {
                read.Diagnostics.Error(DiagnosticCodes.AcceleratorCountWithoutType, countSubject,
                    $"{countSubject} is set but no accelerator type is; set {typeSubject} too (e.g. NVIDIA_TESLA_T4).");
            }

            if (MachineCatalog.RequiresAccelerator(machineType))
            {
                var fits = MachineCatalog.AcceleratorsForMachine(machineType);
                read.Diagnostics.Error(DiagnosticCodes.MachineTypeNeedsAccelerator, typeSubject,
                    $"Machine type '{machineType}' comes with GPUs attached; set {typeSubject} to {(fits.Count > 0 ? string.Join(" or ", fits) : "its GPU type")}.");
            }

            return (null, null);
        }

        if (!MachineCatalog.IsKnownAccelerator(type))
        {
            read.Diagnostics.Error(DiagnosticCodes.UnknownAcceleratorType, typeSubject,
                $"{typeSubject} is '{type}', which is not a Vertex accelerator type; valid types are {string.Join(", ", MachineCatalog.AcceleratorTypes)}.");
            return (type, count ?? 1);
        }

        var counts = MachineCatalog.CountsFor(type, machineType);
        if (counts is null)
        {
            read.Diagnostics.Error(DiagnosticCodes.AcceleratorNotOnMachineType, typeSubject,
                $"{typeSubject} {type} cannot be attached to machine type '{machineType}'; it fits {string.Join(", ", MachineCatalog.MachineTypesFor(type))}.");
            return (type, count ?? 1);
        }

        // A machine sold with a fixed number of GPUs (a2-highgpu-8g) gets that number when none is given.
        var effective = count ?? (counts.Count == 1 ? counts[0] : 1);
        if (count is not null && !counts.Contains(count.Value) || count is null && !counts.Contains(effective))
        {
            read.Diagnostics.Error(DiagnosticCodes.InvalidAcceleratorCount, countSubject,
                $"{countSubject} is {effective}; {type} on {machineType} takes {string.Join(", ", counts)}.");
        }

        return (type, effective);
    }

    private DiskSpec? ReadDisk(string subject, ConfigItem? pool, Func<string, string, string?> pick)
    {
        var sizeSubject = pool is null ? VertexProperty.BootDiskSizeGb : $"{subject} BootDiskSizeGb";
        var typeSubject = pool is null ? VertexProperty.BootDiskType : $"{subject} BootDiskType";
        var size = read.Int(pick("BootDiskSizeGb", VertexProperty.BootDiskSizeGb), sizeSubject, 100, 64_000, DiagnosticCodes.InvalidBootDiskSize, "(GB)");
        var type = read.OneOf(pick("BootDiskType", VertexProperty.BootDiskType), typeSubject, DiagnosticCodes.InvalidBootDiskType,
            BootDiskTypes);
        return size is null && type is null ? null : new DiskSpec { BootDiskType = type, BootDiskSizeGb = size };
    }

    private void CheckTpuReplicas(Shape shape, int replicas, string subject)
    {
        if (shape.Machine.AcceleratorType is { } type && MachineCatalog.IsTpu(type) && replicas != 1)
        {
            read.Diagnostics.Error(DiagnosticCodes.TpuReplicaCount, subject,
                $"{subject}: TPU jobs run as a single replica; {replicas} replicas were requested.");
        }
    }

    private static WorkerPoolSpec NewPool(Shape shape, int replicas, string imageUri, List<string>? command, List<string> args, List<EnvVar> env)
    {
        var poolEnv = new List<EnvVar>(env);
        if (shape.Machine.AcceleratorType is { } type && shape.Machine.AcceleratorCount is { } count)
        {
            poolEnv.Add(new EnvVar { Name = AcceleratorCountVariable, Value = count.ToString(CultureInfo.InvariantCulture) });
            poolEnv.Add(new EnvVar { Name = AcceleratorTypeVariable, Value = type });
        }

        return new WorkerPoolSpec
        {
            MachineSpec = new MachineSpec
            {
                MachineType = shape.Machine.MachineType,
                AcceleratorType = shape.Machine.AcceleratorType,
                AcceleratorCount = shape.Machine.AcceleratorCount,
                ReservationAffinity = shape.Machine.ReservationAffinity,
                GpuPartitionSize = shape.Machine.GpuPartitionSize,
                TpuTopology = shape.Machine.TpuTopology,
            },
            ReplicaCount = replicas,
            DiskSpec = shape.Disk,
            ContainerSpec = new ContainerSpec
            {
                ImageUri = imageUri,
                Command = command is { Count: > 0 } ? command : null,
                Args = args.Count > 0 ? args : null,
                Env = poolEnv.Count > 0 ? poolEnv : null,
            },
        };
    }

    private List<string> ReadArgs()
    {
        var args = InputReader.SplitList(inputs.Get(VertexProperty.Args));
        args.AddRange(inputs.GetItems(VertexItem.Arg).Select(a => a.Identity));
        var total = args.Sum(a => a.Length);
        if (total > MaxTotalArgumentLength)
        {
            read.Diagnostics.Error(DiagnosticCodes.ArgumentsTooLong, VertexProperty.Args,
                $"{VertexProperty.Args} and {VertexItem.Arg} items add up to {total} characters; Vertex accepts at most {MaxTotalArgumentLength}. Pass large inputs as files (gs:// paths) instead.");
        }

        return args;
    }

    private List<EnvVar> ReadEnvironment()
    {
        var env = new List<EnvVar>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var item in inputs.GetItems(VertexItem.EnvironmentVariable))
        {
            var subject = $"{VertexItem.EnvironmentVariable} '{item.Identity}'";
            var forOnePool = item.Get("WorkerPool") is not null;
            if (!ResourceFormats.EnvironmentVariableName().IsMatch(item.Identity))
            {
                read.Diagnostics.Error(DiagnosticCodes.InvalidEnvironmentVariableName, subject,
                    $"{subject} is not a valid variable name; use letters, digits and '_', not starting with a digit.");
            }
            else if (!forOnePool && !seen.Add(item.Identity))
            {
                read.Diagnostics.Error(DiagnosticCodes.DuplicateEnvironmentVariable, subject, $"{subject} is declared twice; declare each variable once.");
            }
            else if (item.Identity is AcceleratorCountVariable or AcceleratorTypeVariable)
            {
                read.Diagnostics.Error(DiagnosticCodes.InvalidEnvironmentVariableName, subject,
                    $"{subject} is set by VertexTraining from the accelerator properties; set {VertexProperty.AcceleratorCount} / {VertexProperty.AcceleratorType} instead.");
            }

            if (forOnePool)
            {
                // Added to its pool by AddPoolEnvironment, once the pools exist.
                continue;
            }

            item.Metadata.TryGetValue("Value", out var value);
            env.Add(new EnvVar { Name = item.Identity, Value = value ?? "" });
        }

        // Two slots stay free for the accelerator variables we add per pool.
        if (env.Count > MaxEnvironmentVariables - 2)
        {
            read.Diagnostics.Error(DiagnosticCodes.TooManyEnvironmentVariables, VertexItem.EnvironmentVariable,
                $"{env.Count} {VertexItem.EnvironmentVariable} items are declared; Vertex accepts {MaxEnvironmentVariables} per container and VertexTraining uses 2, so at most {MaxEnvironmentVariables - 2} are allowed.");
        }

        return env;
    }
}
