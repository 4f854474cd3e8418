using VertexTraining.Core.Api;
using VertexTraining.Core.Local;
using VertexTraining.Core.Local.Search;

namespace VertexTraining.Local.Tests;

public sealed class SearchSpaceTests
{
    [Theory]
    [InlineData(ParameterScale.Linear, 0.001, 1.0)]
    [InlineData(ParameterScale.Log, 0.001, 1.0)]
    [InlineData(ParameterScale.ReverseLog, 0.001, 1.0)]
    [InlineData(ParameterScale.Log, 1.0, 1000.0)]
    public void Unit_positions_map_back_to_the_same_values_and_cover_the_range(ParameterScale scale, double min, double max)
    {
        var parameter = SearchSpace.Double("p", min, max, scale);

        Assert.Equal(min, parameter.FromUnit(0), 9);
        Assert.Equal(max, parameter.FromUnit(1), 9);
        foreach (var unit in new[] { 0.1, 0.37, 0.5, 0.9 })
        {
            var value = parameter.FromUnit(unit);
            Assert.InRange(value, min, max);
            Assert.Equal(unit, parameter.ToUnit(value), 9);
        }
    }

    [Fact]
    public void Log_scale_spreads_values_evenly_by_order_of_magnitude_and_reverse_log_crowds_them_near_the_maximum()
    {
        var log = SearchSpace.Double("lr", 1e-4, 1, ParameterScale.Log);
        Assert.Equal(1e-2, log.FromUnit(0.5), 12);

        var reverse = SearchSpace.Double("momentum", 0.001, 1, ParameterScale.ReverseLog);
        // Half of the unit interval maps to the top few percent of the range.
        Assert.True(reverse.FromUnit(0.5) > 0.96, $"{reverse.FromUnit(0.5)}");
        Assert.True(reverse.FromUnit(0.9) > reverse.FromUnit(0.5));

        var random = new Random(1);
        var draws = Enumerable.Range(0, 4000).Select(_ => log.Sample(random).Number).Order().ToArray();
        var median = draws[draws.Length / 2];
        Assert.InRange(median, 0.005, 0.02);
    }

    [Fact]
    public void Integers_round_and_each_value_gets_an_equal_share_of_the_unit_interval()
    {
        var parameter = SearchSpace.Integer("layers", 1, 4);
        var counts = new int[5];
        for (var i = 0; i < 4000; i++)
        {
            counts[(int)parameter.FromUnit((i + 0.5) / 4000)]++;
        }

        Assert.Equal(0, counts[0]);
        Assert.All(counts[1..], c => Assert.InRange(c, 990, 1010));
        Assert.Equal([1.0, 2, 3, 4], parameter.GridValues().Select(v => v.Number));
    }

    [Fact]
    public void Discrete_values_snap_to_the_nearest_listed_value_under_the_scale()
    {
        var parameter = SearchSpace.Discrete("batch", [16, 32, 64, 128, 256], ParameterScale.Log);

        Assert.Equal(64, parameter.FromUnit(0.5));
        Assert.Equal(16, parameter.FromUnit(0.05));
        Assert.Equal(256, parameter.FromUnit(0.99));
        Assert.Equal(0.5, parameter.ToUnit(64), 12);
    }

    [Fact]
    public void A_study_with_conditional_parameters_is_flattened_parents_first_and_children_are_active_only_for_their_parent_values()
    {
        var optimizer = JobDocs.Categorical("optimizer", "sgd", "adam");
        optimizer.ConditionalParameterSpecs =
        [
            new ConditionalParameterSpec
            {
                ParameterSpec = JobDocs.Double("momentum", 0.5, 0.99, "UNIT_REVERSE_LOG_SCALE"),
                ParentCategoricalValues = new CategoricalValueCondition { Values = ["sgd"] },
            },
        ];
        var space = SearchSpace.FromStudy([JobDocs.Double("lr", 1e-4, 1e-1, "UNIT_LOG_SCALE"), optimizer, JobDocs.Integer("layers", 1, 3)]);

        Assert.Equal(["lr", "optimizer", "momentum", "layers"], space.Parameters.Select(p => p.Id));
        Assert.Equal(ParameterScale.ReverseLog, space.Parameters[2].Scale);
        var random = new Random(3);
        var samples = Enumerable.Range(0, 200).Select(_ => space.Sample(random)).ToList();
        Assert.All(samples, s =>
        {
            Assert.True(s.TryGet("optimizer", out var o));
            Assert.Equal(o.Category == "sgd", s.TryGet("momentum", out _));
        });
        Assert.Contains(samples, s => s.TryGet("momentum", out _));
        Assert.Contains(samples, s => !s.TryGet("momentum", out _));
    }

    [Fact]
    public void Log_scale_over_values_that_reach_zero_is_refused_with_a_code()
    {
        var error = Assert.Throws<LocalRunException>(() => SearchSpace.FromStudy([JobDocs.Double("lr", 0, 1, "UNIT_LOG_SCALE")]));

        Assert.Equal("VTX1078", error.Code);
        Assert.Contains("lr", error.Message);
    }

    [Fact]
    public void Trial_arguments_are_flags_named_by_parameter_id_with_plain_numbers()
    {
        var assignment = new ParameterAssignment(
        [
            new("lr", ParameterValue.Of(0.001)),
            new("batch", ParameterValue.Of(256.0)),
            new("optimizer", ParameterValue.Of("adam")),
        ]);

        Assert.Equal(["--lr=0.001", "--batch=256", "--optimizer=adam"], assignment.ToArguments());
        Assert.Equal("256", ParameterValue.Of(256.0).ToJsonElement().GetRawText());
        Assert.Equal("\"adam\"", ParameterValue.Of("adam").ToJsonElement().GetRawText());
    }
}
