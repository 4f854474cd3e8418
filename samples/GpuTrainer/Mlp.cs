using ILGPU;
using ILGPU.Runtime;

namespace GpuTrainer;

/// <summary>
/// The sizes every kernel needs, passed as one value so the kernels keep short parameter lists. Public because
/// ILGPU's CPU accelerator emits a task type in its own dynamic assembly that holds the kernel's arguments.
/// </summary>
public readonly struct Shape(int batch, int features, int hidden)
{
    public readonly int Batch = batch;
    public readonly int Features = features;
    public readonly int Hidden = hidden;
}

/// <summary>
/// A one-hidden-layer perceptron (features → ReLU hidden → logit) trained with plain SGD on an ILGPU accelerator.
/// The matrix work — the hidden layer forward, its gradient and both weight updates, 2·batch·features·hidden
/// multiply-adds each — runs in kernels, one thread per output element. The batch's sigmoid and
/// cross-entropy (batch numbers) run on the host, so the kernels use no math library and compile the same
/// for the GPU and the CPU accelerator.
/// </summary>
internal sealed class Mlp : IDisposable
{
    private readonly Accelerator _accelerator;
    private readonly Shape _shape;
    private readonly MemoryBuffer1D<float, Stride1D.Dense> _w1;      // features × hidden, row-major
    private readonly MemoryBuffer1D<float, Stride1D.Dense> _b1;      // hidden
    private readonly MemoryBuffer1D<float, Stride1D.Dense> _w2;      // hidden
    private readonly MemoryBuffer1D<float, Stride1D.Dense> _trainX;  // train samples × features
    private readonly MemoryBuffer1D<float, Stride1D.Dense> _validX;  // validation samples × features
    private readonly MemoryBuffer1D<float, Stride1D.Dense> _hidden;  // batch × hidden activations
    private readonly MemoryBuffer1D<float, Stride1D.Dense> _dHidden; // batch × hidden gradient
    private readonly MemoryBuffer1D<float, Stride1D.Dense> _logits;  // batch
    private readonly MemoryBuffer1D<float, Stride1D.Dense> _dLogits; // batch
    private readonly float[] _hostLogits;
    private readonly float[] _hostDLogits;
    private readonly SyntheticData _train;
    private readonly SyntheticData _validation;
    private readonly Action<Index2D, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, Shape> _hiddenForward;
    private readonly Action<Index1D, ArrayView<float>, ArrayView<float>, float, ArrayView<float>, Shape> _outputForward;
    private readonly Action<Index2D, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, Shape> _hiddenBackward;
    private readonly Action<Index1D, ArrayView<float>, ArrayView<float>, ArrayView<float>, float, Shape> _updateOutputWeights;
    private readonly Action<Index2D, ArrayView<float>, ArrayView<float>, ArrayView<float>, float, Shape> _updateHiddenWeights;
    private readonly Action<Index1D, ArrayView<float>, ArrayView<float>, float, Shape> _updateHiddenBias;
    private float _b2;

    public Mlp(Accelerator accelerator, SyntheticData train, SyntheticData validation, int batch, int hidden, int seed)
    {
        if (train.Count % batch != 0 || validation.Count % batch != 0)
        {
            throw new ArgumentException($"The sets ({train.Count} and {validation.Count} samples) must be whole batches of {batch}.");
        }

        _accelerator = accelerator;
        _train = train;
        _validation = validation;
        _shape = new Shape(batch, train.Width, hidden);
        var (w1, w2) = InitialWeights(train.Width, hidden, seed);
        _w1 = accelerator.Allocate1D(w1);
        _b1 = accelerator.Allocate1D(new float[hidden]);
        _w2 = accelerator.Allocate1D(w2);
        _trainX = accelerator.Allocate1D(train.Features);
        _validX = accelerator.Allocate1D(validation.Features);
        _hidden = accelerator.Allocate1D<float>((long)batch * hidden);
        _dHidden = accelerator.Allocate1D<float>((long)batch * hidden);
        _logits = accelerator.Allocate1D<float>(batch);
        _dLogits = accelerator.Allocate1D<float>(batch);
        _hostLogits = new float[batch];
        _hostDLogits = new float[batch];

        _hiddenForward = accelerator.LoadAutoGroupedStreamKernel<Index2D, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, Shape>(HiddenForward);
        _outputForward = accelerator.LoadAutoGroupedStreamKernel<Index1D, ArrayView<float>, ArrayView<float>, float, ArrayView<float>, Shape>(OutputForward);
        _hiddenBackward = accelerator.LoadAutoGroupedStreamKernel<Index2D, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, Shape>(HiddenBackward);
        _updateOutputWeights = accelerator.LoadAutoGroupedStreamKernel<Index1D, ArrayView<float>, ArrayView<float>, ArrayView<float>, float, Shape>(UpdateOutputWeights);
        _updateHiddenWeights = accelerator.LoadAutoGroupedStreamKernel<Index2D, ArrayView<float>, ArrayView<float>, ArrayView<float>, float, Shape>(UpdateHiddenWeights);
        _updateHiddenBias = accelerator.LoadAutoGroupedStreamKernel<Index1D, ArrayView<float>, ArrayView<float>, float, Shape>(UpdateHiddenBias);
    }

    public int BatchesPerEpoch => _train.Count / _shape.Batch;

    /// <summary>One SGD step on the training batch <paramref name="step"/> falls on; returns the batch's mean loss.</summary>
    public double TrainStep(long step, float learningRate)
    {
        var batch = (int)(step % BatchesPerEpoch);
        var x = Rows(_trainX, batch);
        Forward(x);

        // Host: sigmoid cross-entropy and its gradient with respect to each logit, averaged over the batch.
        var labels = _train.Labels.AsSpan(batch * _shape.Batch, _shape.Batch);
        var loss = 0.0;
        var dBias = 0f;
        for (var b = 0; b < _shape.Batch; b++)
        {
            var z = _hostLogits[b];
            loss += Math.Max(z, 0) - z * labels[b] + Math.Log(1 + Math.Exp(-Math.Abs(z)));
            _hostDLogits[b] = (Sigmoid(z) - labels[b]) / _shape.Batch;
            dBias += _hostDLogits[b];
        }

        ((ArrayView<float>)_dLogits.View).CopyFromCPU(_hostDLogits);
        _hiddenBackward(new Index2D(_shape.Hidden, _shape.Batch), _hidden.View, _w2.View, _dLogits.View, _dHidden.View, _shape);
        _updateOutputWeights(_shape.Hidden, _hidden.View, _dLogits.View, _w2.View, learningRate, _shape);
        _updateHiddenWeights(new Index2D(_shape.Hidden, _shape.Features), x, _dHidden.View, _w1.View, learningRate, _shape);
        _updateHiddenBias(_shape.Hidden, _dHidden.View, _b1.View, learningRate, _shape);
        _b2 -= learningRate * dBias;
        _accelerator.Synchronize();
        return loss / _shape.Batch;
    }

    /// <summary>The share of validation samples whose predicted class is their label.</summary>
    public double Accuracy()
    {
        var correct = 0;
        for (var batch = 0; batch < _validation.Count / _shape.Batch; batch++)
        {
            Forward(Rows(_validX, batch));
            for (var b = 0; b < _shape.Batch; b++)
            {
                correct += (_hostLogits[b] > 0) == (_validation.Labels[batch * _shape.Batch + b] > 0.5f) ? 1 : 0;
            }
        }

        return (double)correct / _validation.Count;
    }

    /// <summary>The weights, in a fixed order: W1, b1, w2, b2.</summary>
    public void Save(string path)
    {
        using var writer = new BinaryWriter(File.Create(path));
        foreach (var values in new[] { _w1.GetAsArray1D(), _b1.GetAsArray1D(), _w2.GetAsArray1D(), [_b2] })
        {
            writer.Write(values.Length);
            foreach (var value in values)
            {
                writer.Write(value);
            }
        }
    }

    public void Load(string path)
    {
        using var reader = new BinaryReader(File.OpenRead(path));
        foreach (var buffer in new[] { _w1, _b1, _w2 })
        {
            ((ArrayView<float>)buffer.View).CopyFromCPU(ReadArray(reader, buffer.Length));
        }

        _b2 = ReadArray(reader, 1)[0];
    }

    public void Dispose()
    {
        foreach (var buffer in new[] { _w1, _b1, _w2, _trainX, _validX, _hidden, _dHidden, _logits, _dLogits })
        {
            buffer.Dispose();
        }
    }

    private void Forward(ArrayView<float> x)
    {
        _hiddenForward(new Index2D(_shape.Hidden, _shape.Batch), x, _w1.View, _b1.View, _hidden.View, _shape);
        _outputForward(_shape.Batch, _hidden.View, _w2.View, _b2, _logits.View, _shape);
        ((ArrayView<float>)_logits.View).CopyToCPU(_hostLogits);
    }

    private ArrayView<float> Rows(MemoryBuffer1D<float, Stride1D.Dense> samples, int batch) =>
        samples.View.SubView((long)batch * _shape.Batch * _shape.Features, (long)_shape.Batch * _shape.Features);

    private static float Sigmoid(float z) => 1f / (1f + MathF.Exp(-z));

    private static float[] ReadArray(BinaryReader reader, long expected)
    {
        var length = reader.ReadInt32();
        if (length != expected)
        {
            throw new InvalidDataException($"The saved weights hold {length} values where this model has {expected}: another width or input size.");
        }

        var values = new float[length];
        for (var i = 0; i < length; i++)
        {
            values[i] = reader.ReadSingle();
        }

        return values;
    }

    private static (float[] W1, float[] W2) InitialWeights(int features, int hidden, int seed)
    {
        // He initialisation for the ReLU layer, Xavier-like for the output.
        var random = new Random(seed);
        var w1 = new float[features * hidden];
        for (var i = 0; i < w1.Length; i++)
        {
            w1[i] = SyntheticData.Gaussian(random) * MathF.Sqrt(2f / features);
        }

        var w2 = new float[hidden];
        for (var i = 0; i < w2.Length; i++)
        {
            w2[i] = SyntheticData.Gaussian(random) / MathF.Sqrt(hidden);
        }

        return (w1, w2);
    }

    // --- kernels: index.X is the fastest-moving thread index, so it walks the hidden units (contiguous in memory) ---

    /// <summary>hidden[b, j] = relu(b1[j] + Σk x[b, k]·w1[k, j]).</summary>
    private static void HiddenForward(Index2D index, ArrayView<float> x, ArrayView<float> w1, ArrayView<float> b1, ArrayView<float> hidden, Shape shape)
    {
        int j = index.X, b = index.Y;
        var sum = b1[j];
        for (var k = 0; k < shape.Features; k++)
        {
            sum += x[b * shape.Features + k] * w1[k * shape.Hidden + j];
        }

        hidden[b * shape.Hidden + j] = sum > 0f ? sum : 0f;
    }

    /// <summary>logits[b] = b2 + Σj hidden[b, j]·w2[j].</summary>
    private static void OutputForward(Index1D b, ArrayView<float> hidden, ArrayView<float> w2, float b2, ArrayView<float> logits, Shape shape)
    {
        var sum = b2;
        for (var j = 0; j < shape.Hidden; j++)
        {
            sum += hidden[b * shape.Hidden + j] * w2[j];
        }

        logits[b] = sum;
    }

    /// <summary>dHidden[b, j] = dLogit[b]·w2[j] where the unit was active, else 0 (ReLU's derivative).</summary>
    private static void HiddenBackward(Index2D index, ArrayView<float> hidden, ArrayView<float> w2, ArrayView<float> dLogits, ArrayView<float> dHidden, Shape shape)
    {
        int j = index.X, b = index.Y;
        var at = b * shape.Hidden + j;
        dHidden[at] = hidden[at] > 0f ? dLogits[b] * w2[j] : 0f;
    }

    /// <summary>w2[j] -= lr·Σb hidden[b, j]·dLogit[b]. Runs after <see cref="HiddenBackward"/> has read w2 (same stream).</summary>
    private static void UpdateOutputWeights(Index1D j, ArrayView<float> hidden, ArrayView<float> dLogits, ArrayView<float> w2, float learningRate, Shape shape)
    {
        var gradient = 0f;
        for (var b = 0; b < shape.Batch; b++)
        {
            gradient += hidden[b * shape.Hidden + j] * dLogits[b];
        }

        w2[j] -= learningRate * gradient;
    }

    /// <summary>w1[k, j] -= lr·Σb x[b, k]·dHidden[b, j].</summary>
    private static void UpdateHiddenWeights(Index2D index, ArrayView<float> x, ArrayView<float> dHidden, ArrayView<float> w1, float learningRate, Shape shape)
    {
        int j = index.X, k = index.Y;
        var gradient = 0f;
        for (var b = 0; b < shape.Batch; b++)
        {
            gradient += x[b * shape.Features + k] * dHidden[b * shape.Hidden + j];
        }

        w1[k * shape.Hidden + j] -= learningRate * gradient;
    }

    /// <summary>b1[j] -= lr·Σb dHidden[b, j].</summary>
    private static void UpdateHiddenBias(Index1D j, ArrayView<float> dHidden, ArrayView<float> b1, float learningRate, Shape shape)
    {
        var gradient = 0f;
        for (var b = 0; b < shape.Batch; b++)
        {
            gradient += dHidden[b * shape.Hidden + j];
        }

        b1[j] -= learningRate * gradient;
    }
}
