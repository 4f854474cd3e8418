using System.Globalization;
using System.Text;

namespace MoonsClassifier;

/// <summary>One tanh hidden layer and a sigmoid output, trained with mini-batch SGD on log loss.</summary>
internal sealed class TinyNetwork
{
    private readonly double[,] _w1;
    private readonly double[] _b1;
    private readonly double[] _w2;
    private double _b2;

    public TinyNetwork(int inputs, int hidden, int seed)
    {
        var random = new Random(seed);
        _w1 = new double[hidden, inputs];
        _b1 = new double[hidden];
        _w2 = new double[hidden];
        for (var h = 0; h < hidden; h++)
        {
            for (var i = 0; i < inputs; i++)
            {
                _w1[h, i] = (random.NextDouble() * 2 - 1) / Math.Sqrt(inputs);
            }

            _w2[h] = (random.NextDouble() * 2 - 1) / Math.Sqrt(hidden);
        }
    }

    private int Hidden => _b1.Length;

    /// <summary>One pass over the shuffled data; returns the mean log loss.</summary>
    public double TrainEpoch(DataSet data, double learningRate, int batchSize, int seed)
    {
        var order = Enumerable.Range(0, data.Count).ToArray();
        new Random(seed).Shuffle(order);
        var totalLoss = 0.0;
        for (var start = 0; start < order.Length; start += batchSize)
        {
            var batch = order.AsSpan(start, Math.Min(batchSize, order.Length - start));
            var gW1 = new double[Hidden, _w1.GetLength(1)];
            var gB1 = new double[Hidden];
            var gW2 = new double[Hidden];
            var gB2 = 0.0;
            foreach (var index in batch)
            {
                var x = data.X[index];
                var (hidden, p) = Forward(x);
                totalLoss -= data.Y[index] == 1 ? Math.Log(p + 1e-12) : Math.Log(1 - p + 1e-12);
                var dOut = p - data.Y[index];
                gB2 += dOut;
                for (var h = 0; h < Hidden; h++)
                {
                    gW2[h] += dOut * hidden[h];
                    var dHidden = dOut * _w2[h] * (1 - hidden[h] * hidden[h]);
                    gB1[h] += dHidden;
                    for (var i = 0; i < x.Length; i++)
                    {
                        gW1[h, i] += dHidden * x[i];
                    }
                }
            }

            var step = learningRate / batch.Length;
            _b2 -= step * gB2;
            for (var h = 0; h < Hidden; h++)
            {
                _w2[h] -= step * gW2[h];
                _b1[h] -= step * gB1[h];
                for (var i = 0; i < _w1.GetLength(1); i++)
                {
                    _w1[h, i] -= step * gW1[h, i];
                }
            }
        }

        return totalLoss / data.Count;
    }

    public double Accuracy(DataSet data)
    {
        var correct = 0;
        for (var i = 0; i < data.Count; i++)
        {
            var predicted = Forward(data.X[i]).Output >= 0.5 ? 1 : 0;
            correct += predicted == data.Y[i] ? 1 : 0;
        }

        return (double)correct / data.Count;
    }

    /// <summary>Every parameter, bit for bit (little-endian doubles), so a resumed run continues exactly where it stopped.</summary>
    public void Save(string path)
    {
        using var writer = new BinaryWriter(File.Create(path));
        writer.Write(Hidden);
        writer.Write(_w1.GetLength(1));
        foreach (var value in _w1.Cast<double>().Concat(_b1).Concat(_w2).Append(_b2))
        {
            writer.Write(value);
        }
    }

    /// <summary>Reads what <see cref="Save"/> wrote into this network, which must have the same shape.</summary>
    public void Load(string path)
    {
        using var reader = new BinaryReader(File.OpenRead(path));
        if (reader.ReadInt32() != Hidden || reader.ReadInt32() != _w1.GetLength(1))
        {
            throw new InvalidDataException($"{path} holds a network of another shape.");
        }

        for (var h = 0; h < Hidden; h++)
        {
            for (var i = 0; i < _w1.GetLength(1); i++)
            {
                _w1[h, i] = reader.ReadDouble();
            }
        }

        for (var h = 0; h < Hidden; h++)
        {
            _b1[h] = reader.ReadDouble();
        }

        for (var h = 0; h < Hidden; h++)
        {
            _w2[h] = reader.ReadDouble();
        }

        _b2 = reader.ReadDouble();
    }

    public string Describe()
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"hidden={Hidden}");
        text.AppendLine(string.Join(' ', _w2.Select(w => w.ToString("R", CultureInfo.InvariantCulture))));
        return text.ToString();
    }

    private (double[] Hidden, double Output) Forward(double[] x)
    {
        var hidden = new double[Hidden];
        var z = _b2;
        for (var h = 0; h < Hidden; h++)
        {
            var a = _b1[h];
            for (var i = 0; i < x.Length; i++)
            {
                a += _w1[h, i] * x[i];
            }

            hidden[h] = Math.Tanh(a);
            z += _w2[h] * hidden[h];
        }

        return (hidden, 1 / (1 + Math.Exp(-z)));
    }
}
