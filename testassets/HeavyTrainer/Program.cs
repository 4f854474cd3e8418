using TorchSharp;
using static TorchSharp.torch;

// A small regression trained on synthetic data: enough to load LibTorch and run real kernels.
// The benchmark edits the marker line below to make a one-line change to the app.
const string Revision = "r0"; // benchmark: revision marker

var epochs = args.Select(a => a.Split('=', 2)).Where(p => p is ["--epochs", _]).Select(p => int.Parse(p[1])).DefaultIfEmpty(50).First();
torch.manual_seed(42);
var x = torch.rand(256, 4);
var trueWeights = torch.tensor(new float[] { 1.5f, -2f, 0.5f, 3f }).reshape(4, 1);
var y = x.matmul(trueWeights) + 0.1f;

var model = nn.Linear(4, 1);
var optimizer = optim.SGD(model.parameters(), learningRate: 0.1);
var loss = nn.MSELoss();
float last = 0;
for (var epoch = 0; epoch < epochs; epoch++)
{
    optimizer.zero_grad();
    using var output = loss.forward(model.forward(x), y);
    output.backward();
    optimizer.step();
    last = output.item<float>();
}

Console.WriteLine($"revision={Revision} torch={torch.__version__} epochs={epochs} loss={last:F4}");
