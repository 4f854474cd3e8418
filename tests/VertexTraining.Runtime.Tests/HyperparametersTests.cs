namespace VertexTraining.Runtime.Tests;

public class HyperparametersTests
{
    private enum Optimizer
    {
        Sgd,
        Adam,
    }

    [Fact]
    public void Both_flag_forms_are_read()
    {
        var hp = Hyperparameters.FromArgs("--learning_rate=0.1", "--batch_size", "64");

        Assert.Equal(0.1, hp.Get("learning_rate", 0.01));
        Assert.Equal(64, hp.Get("batch_size", 32));
    }

    [Fact]
    public void Defaults_apply_to_missing_hyperparameters()
    {
        var hp = Hyperparameters.FromArgs();

        Assert.Equal(0.01, hp.Get("learning_rate", 0.01));
        Assert.Equal(32, hp.Get("batch_size", 32));
        Assert.Equal(5L, hp.Get("seed", 5L));
        Assert.Equal("adam", hp.Get("optimizer", "adam"));
        Assert.Null(hp.Get("optimizer", (string?)null));
        Assert.True(hp.Get("shuffle", true));
        Assert.False(hp.Contains("learning_rate"));
    }

    [Theory]
    [InlineData("--verbose")]
    [InlineData("--verbose --epochs=3")]
    [InlineData("--verbose --")]
    public void A_bare_flag_is_true(string commandLine)
    {
        var hp = Hyperparameters.FromArgs(commandLine.Split(' '));

        Assert.Equal("true", hp["verbose"]);
        Assert.True(hp.Get("verbose", false));
    }

    [Fact]
    public void Negative_numbers_are_values_not_flags()
    {
        var hp = Hyperparameters.FromArgs("--offset", "-0.5", "--shift", "-3");

        Assert.Equal(-0.5, hp.Get("offset", 0.0));
        Assert.Equal(-3, hp.Get("shift", 0));
    }

    [Fact]
    public void The_last_value_wins_so_trial_values_override_container_args()
    {
        // Vertex appends the trial's flags after the container's own arguments.
        var hp = Hyperparameters.FromArgs("--learning_rate=0.01", "--epochs=3", "--learning_rate=0.2");

        Assert.Equal(0.2, hp.Get("learning_rate", 0.0));
    }

    [Fact]
    public void Positional_arguments_are_kept_in_order()
    {
        var hp = Hyperparameters.FromArgs("train", "--epochs=3", "data.csv", "-v", "--", "--not-a-flag", "x");

        Assert.Equal(["train", "data.csv", "-v", "--not-a-flag", "x"], hp.Positional);
        Assert.Equal(["epochs"], hp.Values.Keys);
    }

    [Fact]
    public void Values_may_contain_equals_signs_and_be_empty()
    {
        var hp = Hyperparameters.FromArgs("--filter=a=b", "--empty=");

        Assert.Equal("a=b", hp.Get("filter", ""));
        Assert.True(hp.TryGet("empty", out var empty));
        Assert.Equal("", empty);
        Assert.False(hp.TryGet("missing", out _));
    }

    [Theory]
    [InlineData("256", 256)]
    [InlineData("256.0", 256)]
    [InlineData("2.56e2", 256)]
    [InlineData("-4", -4)]
    [InlineData(" 8 ", 8)]
    public void Integers_are_read_leniently(string text, int expected)
    {
        var hp = Hyperparameters.FromArgs($"--batch_size={text}");

        Assert.Equal(expected, hp.Get("batch_size", 0));
        Assert.Equal(expected, hp.Get("batch_size", 0L));
    }

    [Fact]
    public void A_fractional_integer_is_rejected_with_a_clear_message()
    {
        var hp = Hyperparameters.FromArgs("--batch_size=256.5");

        var e = Assert.Throws<HyperparameterException>(() => hp.Get("batch_size", 32));

        Assert.Equal("batch_size", e.ParameterName);
        Assert.Equal("256.5", e.Value);
        Assert.Equal(typeof(int), e.ExpectedType);
        Assert.Equal(
            "Hyperparameter 'batch_size' has value '256.5', which is not a whole number; expected Int32 (a whole number such as 32 or 32.0).",
            e.Message);
    }

    [Theory]
    [InlineData("3000000000")]
    [InlineData("1e10")]
    public void An_int_out_of_range_is_rejected(string text)
    {
        var hp = Hyperparameters.FromArgs($"--n={text}");

        var e = Assert.Throws<HyperparameterException>(() => hp.Get("n", 0));

        Assert.Contains("outside the range of Int32", e.Message);
        Assert.True(hp.Get("n", 0L) > int.MaxValue, "a long holds it");
    }

    [Fact]
    public void Long_keeps_full_precision_beyond_double()
    {
        var hp = Hyperparameters.FromArgs("--seed=9007199254740993");

        Assert.Equal(9007199254740993L, hp.Get("seed", 0L));
    }

    [Fact]
    public void A_malformed_double_names_the_parameter_value_and_type()
    {
        var hp = Hyperparameters.FromArgs("--learning_rate=fast");

        var e = Assert.Throws<HyperparameterException>(() => hp.Get("learning_rate", 0.01));

        Assert.Equal(
            "Hyperparameter 'learning_rate' has value 'fast', which is not a valid Double (a number such as 0.01 or 1e-05).",
            e.Message);
    }

    [Theory]
    [InlineData("0.001", 0.001)]
    [InlineData("1e-05", 1e-05)]
    [InlineData("1E+3", 1000.0)]
    [InlineData("-2.5", -2.5)]
    [InlineData("inf", double.PositiveInfinity)]
    [InlineData("-inf", double.NegativeInfinity)]
    public void Doubles_use_the_invariant_culture_and_python_spellings(string text, double expected)
    {
        var hp = Hyperparameters.FromArgs($"--x={text}");

        Assert.Equal(expected, hp.Get("x", 0.0));
    }

    [Fact]
    public void Doubles_do_not_depend_on_the_current_culture()
    {
        var saved = Thread.CurrentThread.CurrentCulture;
        try
        {
            Thread.CurrentThread.CurrentCulture = new System.Globalization.CultureInfo("de-DE");
            var hp = Hyperparameters.FromArgs("--learning_rate=0.5");

            Assert.Equal(0.5, hp.Get("learning_rate", 0.0));
        }
        catch (System.Globalization.CultureNotFoundException)
        {
            // Invariant-globalization hosts have no de-DE; the invariant parse is then trivially culture-free.
        }
        finally
        {
            Thread.CurrentThread.CurrentCulture = saved;
        }
    }

    [Theory]
    [InlineData("true", true)]
    [InlineData("False", false)]
    [InlineData("1", true)]
    [InlineData("0", false)]
    [InlineData("yes", true)]
    [InlineData("off", false)]
    public void Booleans_accept_common_spellings(string text, bool expected)
    {
        var hp = Hyperparameters.FromArgs($"--flag={text}");

        Assert.Equal(expected, hp.Get("flag", !expected));
    }

    [Fact]
    public void A_malformed_boolean_is_rejected()
    {
        var hp = Hyperparameters.FromArgs("--flag=maybe");

        var e = Assert.Throws<HyperparameterException>(() => hp.Get("flag", false));

        Assert.Contains("'flag'", e.Message);
        Assert.Contains("'maybe'", e.Message);
        Assert.Contains("Boolean", e.Message);
    }

    [Fact]
    public void The_generic_accessor_reads_other_types()
    {
        var hp = Hyperparameters.FromArgs("--dropout=0.25", "--optimizer=adam", "--scale=1.5");

        Assert.Equal(0.25f, hp.Get("dropout", 0f));
        Assert.Equal(Optimizer.Adam, hp.Get("optimizer", Optimizer.Sgd));
        Assert.Equal(1.5m, hp.GetRequired<decimal>("scale"));
    }

    [Theory]
    [InlineData("rmsprop")]
    [InlineData("1")]
    public void An_unknown_enum_name_lists_the_valid_ones(string text)
    {
        var hp = Hyperparameters.FromArgs($"--optimizer={text}");

        var e = Assert.Throws<HyperparameterException>(() => hp.Get("optimizer", Optimizer.Sgd));

        Assert.Contains("one of Sgd, Adam", e.Message);
    }

    [Fact]
    public void GetRequired_reads_a_given_value()
    {
        var hp = Hyperparameters.FromArgs("--epochs", "10", "--name", "run-1");

        Assert.Equal(10, hp.GetRequired<int>("epochs"));
        Assert.Equal("run-1", hp.GetRequired<string>("name"));
    }

    [Fact]
    public void GetRequired_names_the_missing_parameter_and_its_type()
    {
        var hp = Hyperparameters.FromArgs("--epochs=10");

        var e = Assert.Throws<HyperparameterException>(() => hp.GetRequired<double>("learning_rate"));

        Assert.Equal("learning_rate", e.ParameterName);
        Assert.Null(e.Value);
        Assert.Equal(
            "Hyperparameter 'learning_rate' is required but was not given; pass it as --learning_rate=<value>, where the value is a Double (a number such as 0.01 or 1e-05).",
            e.Message);
    }

    [Fact]
    public void Unsupported_types_are_refused_plainly()
    {
        var hp = Hyperparameters.FromArgs("--when=2020-01-01");

        Assert.Throws<NotSupportedException>(() => hp.Get("when", DateTime.MinValue));
    }

    [Fact]
    public void ToString_shows_the_normalized_command_line()
    {
        var hp = Hyperparameters.FromArgs("--a", "1", "--b=2", "pos");

        Assert.Equal("--a=1 --b=2 pos", hp.ToString());
    }

    [Fact]
    public void NeverRead_lists_given_names_that_no_accessor_asked_for()
    {
        var hp = Hyperparameters.FromArgs("--lr=0.1", "--epochs", "3", "--verbose", "data.csv");

        _ = hp.Get("learning_rate", 0.01);
        _ = hp.Get("epochs", 1);
        _ = hp.Contains("verbose");

        Assert.Equal(["lr"], hp.NeverRead);
        Assert.Equal(["epochs", "learning_rate", "verbose"], hp.Asked);
    }

    [Fact]
    public void Reading_Values_counts_as_reading_every_name()
    {
        var hp = Hyperparameters.FromArgs("--lr=0.1");

        _ = hp.Values.Count;

        Assert.Empty(hp.NeverRead);
    }
}
